import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/layout/site-header";
import { SERIES_COLOURS, TrendChart } from "@/components/trends/trend-chart";
import { bucketRange, MAX_TREND_QUERIES, type TrendResponse } from "@/lib/search/engine/trends";
import { ParamError, parseTrendParams } from "@/lib/search/serving/params";
import { loadSearchIndex } from "@/lib/search/serving/server";
import { searchHref, stateFromParams } from "@/lib/search/client/url";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const METRICS = { articles: "文章数", occurrences: "出现次数", share: "占当期文章比例" } as const;
type Metric = keyof typeof METRICS;

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The page's parameters: the queries typed (blanks dropped), the trend's own, and the rest as the API reads them. */
function readTrendPage(raw: Record<string, string | string[] | undefined>) {
  const queries = list(raw.q).map((q) => q.trim()).filter(Boolean);
  const metric: Metric = (Object.keys(METRICS) as Metric[]).find((m) => m === raw.metric) ?? "articles";
  const params = new URLSearchParams();
  for (const q of queries) params.append("q", q);
  for (const key of ["by", "from", "to", "author", "source", "docType", "issuer"]) for (const v of list(raw[key])) if (v) params.append(key, v);
  return { queries, metric, params };
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { queries } = readTrendPage(await searchParams);
  return { title: queries.length ? `${queries.join("、")} - 提法趋势` : "提法趋势" };
}

export default async function TrendsPage({ searchParams }: Props) {
  const raw = await searchParams;
  const { queries, metric, params } = readTrendPage(raw);
  const filters = stateFromParams(raw);
  let trends: TrendResponse | null = null;
  let problem: string | null = null;
  if (queries.length > 0) {
    try {
      trends = await (await loadSearchIndex()).trendsAsync(parseTrendParams(params));
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      problem = e.message;
    }
  }
  const by = params.get("by") === "month" ? "month" : "year";
  const field = "h-10 rounded-md border border-zinc-300 bg-white px-3 text-[15px] dark:border-zinc-700 dark:bg-zinc-900";
  const pointHref = (q: string, bucket: string) => searchHref({ ...filters, q, page: 1, group: "0", ...bucketRange(bucket) });
  const values = (s: TrendResponse["series"][number]) => s[metric];
  const show = (v: number) => (metric === "share" ? `${(v * 100).toFixed(1)}%` : String(v));
  const csvHref = `/api/trends?${params}&format=csv`;
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-6xl px-4 pb-16 pt-4">
        <h1 className="text-2xl font-semibold">提法趋势</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">比较几个提法在各年、各月的文章数和出现次数（简繁体一样计算）。图上每个点都可以点开，查看那一时期的文章。</p>
        <form method="get" action="/trends" className="mt-4 space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" data-testid="trends-form">
          <fieldset>
            <legend className="text-sm font-medium">提法（最多 {MAX_TREND_QUERIES} 个，可用搜索语法，如 “标题:党建”）</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-5">
              {Array.from({ length: MAX_TREND_QUERIES }, (_, i) => (
                <input key={i} name="q" defaultValue={queries[i] ?? ""} aria-label={`提法 ${i + 1}`} className={field} style={{ borderLeft: `4px solid ${SERIES_COLOURS[i]}` }} />
              ))}
            </div>
          </fieldset>
          <div className="flex flex-wrap items-end gap-4">
            <label className="text-sm">
              按
              <select name="by" defaultValue={by} className={`${field} ml-2`}>
                <option value="year">年</option>
                <option value="month">月</option>
              </select>
            </label>
            <label className="text-sm">
              显示
              <select name="metric" defaultValue={metric} className={`${field} ml-2`}>
                {(Object.keys(METRICS) as Metric[]).map((m) => (
                  <option key={m} value={m}>
                    {METRICS[m]}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              从
              <input name="from" defaultValue={params.get("from") ?? ""} placeholder="2015" className={`${field} ml-2 w-28`} />
            </label>
            <label className="text-sm">
              到
              <input name="to" defaultValue={params.get("to") ?? ""} placeholder="2024-06" className={`${field} ml-2 w-28`} />
            </label>
            {filters.authors.map((a) => (
              <input key={`a-${a}`} type="hidden" name="author" value={a} />
            ))}
            {filters.sources.map((s) => (
              <input key={`s-${s}`} type="hidden" name="source" value={s} />
            ))}
            <button type="submit" className="h-10 rounded-md bg-red-700 px-5 text-[15px] font-medium text-white hover:bg-red-800">
              画图
            </button>
          </div>
          {(filters.authors.length > 0 || filters.sources.length > 0) && (
            <p className="text-sm text-zinc-600 dark:text-zinc-300">只统计：{[...filters.authors.map((a) => `作者 ${a}`), ...filters.sources.map((s) => `来源 ${s}`)].join("、")}</p>
          )}
        </form>
        {problem && (
          <p role="alert" className="mt-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
            无法统计：{problem}
          </p>
        )}
        {trends && trends.buckets.length === 0 && <p className="mt-6 text-zinc-600">所选范围内没有注明日期的文章。</p>}
        {trends && trends.buckets.length > 0 && (
          <section aria-labelledby="trend-title" className="mt-6">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="trend-title" className="text-lg font-medium">
                {trends.series.map((s) => `“${s.q}”`).join(" 与 ")}：{METRICS[metric]}（按{by === "year" ? "年" : "月"}）
              </h2>
              <a href={csvHref} download className="text-sm text-blue-800 underline underline-offset-4 dark:text-blue-300" data-testid="trends-csv">
                下载数据（CSV）
              </a>
            </div>
            <TrendChart
              buckets={trends.buckets}
              metric={metric}
              series={trends.series.map((s) => ({ q: s.q, values: values(s), hrefs: trends!.buckets.map((b) => pointHref(s.q, b)) }))}
            />
            <div className="mt-6 overflow-x-auto">
              <table className="w-full border-collapse text-sm tabular-nums" data-testid="trend-table">
                <caption className="mb-2 text-left text-zinc-600 dark:text-zinc-300">各时期的{METRICS[metric]}（点数字查看文章；“全部”为该时期符合条件的文章总数）</caption>
                <thead>
                  <tr className="border-b border-zinc-300 dark:border-zinc-700">
                    <th scope="col" className="py-1 pr-4 text-left">{by === "year" ? "年份" : "月份"}</th>
                    <th scope="col" className="py-1 pr-4 text-right">全部</th>
                    {trends.series.map((s, k) => (
                      <th key={k} scope="col" className="py-1 pr-4 text-right" style={{ color: SERIES_COLOURS[k] }}>
                        {s.q}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {trends.buckets.map((b, i) => (
                    <tr key={b} className="border-b border-zinc-100 dark:border-zinc-800">
                      <th scope="row" className="py-1 pr-4 text-left font-normal">
                        {b}
                      </th>
                      <td className="py-1 pr-4 text-right text-zinc-500">{trends!.totals[i]}</td>
                      {trends!.series.map((s, k) => (
                        <td key={k} className="py-1 pr-4 text-right">
                          {s.articles[i] > 0 ? (
                            <Link prefetch={false} href={pointHref(s.q, b)} className="text-blue-800 underline underline-offset-2 dark:text-blue-300">
                              {show(values(s)[i])}
                            </Link>
                          ) : (
                            show(values(s)[i])
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </main>
    </>
  );
}
