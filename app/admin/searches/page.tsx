import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminShell, AdminTableHead, adminButton, adminInput, adminLink, Flash, PostForm } from "@/components/admin/admin-shell";
import { adminStore } from "@/lib/admin/admin-store";
import { requirePageSession } from "@/lib/admin/page-session";
import type { QueryReport } from "@/lib/admin/store";
import { config } from "@/lib/config/env.cjs";
import { parseSearchParams } from "@/lib/search/serving/params";
import { loadSearchIndex } from "@/lib/search/serving/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "读者搜索 · 后台", robots: { index: false } };

const DAY = /^\d{4}-\d{2}-\d{2}$/u;

function period(sp: Record<string, string | string[] | undefined>): { from: string; to: string } {
  const today = new Date().toISOString().slice(0, 10);
  const to = typeof sp.to === "string" && DAY.test(sp.to) ? sp.to : today;
  const monthAgo = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const from = typeof sp.from === "string" && DAY.test(sp.from) && sp.from <= to ? sp.from : monthAgo;
  return { from, to };
}

/** Searches and no-result searches per day, drawn as two lines (server-rendered SVG). */
function DailyChart({ days }: { days: QueryReport["days"] }) {
  const w = 720;
  const h = 160;
  const pad = 28;
  const max = Math.max(1, ...days.map((d) => d.searches));
  const x = (i: number) => pad + (days.length <= 1 ? 0 : (i * (w - 2 * pad)) / (days.length - 1));
  const y = (v: number) => h - pad - (v * (h - 2 * pad)) / max;
  const line = (key: "searches" | "noResults") => days.map((d, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(" ");
  return (
    <figure className="mt-3">
      <svg viewBox={`0 0 ${w} ${h}`} className="w-full max-w-3xl" role="img" aria-label="每天的搜索次数和无结果次数" data-testid="searches-chart">
        <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="currentColor" strokeOpacity="0.3" />
        <text x={pad - 4} y={y(max) + 4} fontSize="10" textAnchor="end" fill="currentColor">
          {max}
        </text>
        <text x={pad - 4} y={h - pad + 4} fontSize="10" textAnchor="end" fill="currentColor">
          0
        </text>
        <text x={pad} y={h - 8} fontSize="10" fill="currentColor">
          {days[0]?.day}
        </text>
        <text x={w - pad} y={h - 8} fontSize="10" textAnchor="end" fill="currentColor">
          {days.at(-1)?.day}
        </text>
        <path d={line("searches")} fill="none" stroke="#1d4ed8" strokeWidth="2" />
        <path d={line("noResults")} fill="none" stroke="#b91c1c" strokeWidth="2" strokeDasharray="4 3" />
      </svg>
      <figcaption className="text-xs text-zinc-500">
        <span className="text-blue-700">━</span> 搜索次数　<span className="text-red-700">┅</span> 无结果次数
      </figcaption>
    </figure>
  );
}

/** For admins: what readers search for over a period; the queries that found nothing, each with a form to add a synonym group. */
export default async function SearchesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { account, session } = await requirePageSession();
  if (account.role !== "admin") redirect("/admin");
  const sp = await searchParams;
  const { from, to } = period(sp);
  const report = await adminStore().queryReport(from, to, 50);
  const index = await loadSearchIndex();
  // What each no-result query finds now (after a synonym, a new article).
  const findsNow = new Map<string, number>();
  for (const r of report.noResults) {
    try {
      findsNow.set(r.query, (await index.searchAsync(parseSearchParams(new URLSearchParams({ q: r.query, size: "1" })))).total);
    } catch {
      findsNow.set(r.query, 0);
    }
  }
  const maxClicks = Math.max(1, ...report.positions.map((p) => p.clicks));
  const text = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string).slice(0, 500) : undefined);
  return (
    <AdminShell account={account} session={session} title="读者搜索" current="/admin/searches">
      {!config().analytics && <p className="mt-4 text-sm text-amber-800">统计已关闭（ANALYTICS=0）：下面只有关闭前的数字。</p>}
      <Flash done={text("done")} error={text("error")} />
      <form method="get" className="mt-4 flex flex-wrap items-end gap-2 text-sm">
        <label className="grid gap-1">
          从<input type="date" name="from" defaultValue={from} className={adminInput} />
        </label>
        <label className="grid gap-1">
          到<input type="date" name="to" defaultValue={to} className={adminInput} />
        </label>
        <button type="submit" className={adminButton}>
          查看
        </button>
      </form>
      <p className="mt-3 text-sm" data-testid="search-totals">
        {from} 至 {to}：搜索 {report.totals.searches} 次，{report.totals.queries} 个不同的查询，其中 {report.totals.noResults} 次没有结果；打开结果 {report.totals.clicks} 次。
      </p>
      <DailyChart days={report.days} />
      <div className="mt-6 grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="no-results">
          <h2 id="no-results" className="text-lg font-medium">
            没有结果的查询
          </h2>
          <p className="text-xs text-zinc-500">加一组同义词，让这个说法也能找到文章（写入后台的同义词文件，所有服务器几秒内生效）。</p>
          <table className="mt-2 w-full text-sm" data-testid="no-result-queries">
            <AdminTableHead labels={["查询", "无结果次数", "现在"]} />
            <tbody>
              {report.noResults.map((r) => (
                <tr key={r.query} className="border-b border-zinc-100 align-top dark:border-zinc-800" data-query={r.query}>
                  <td className="py-1.5">
                    <a className={adminLink} href={`/?q=${encodeURIComponent(r.query)}`}>
                      {r.query}
                    </a>
                    <PostForm action="/api/admin/synonyms" csrf={session.csrf} fields={{ query: r.query, from, to }} className="mt-1 flex gap-1">
                      <input name="terms" placeholder="同义词，多个用“、”分开" aria-label={`“${r.query}”的同义词`} className={`${adminInput} h-8`} />
                      <button type="submit" className={adminButton}>
                        加为同义词
                      </button>
                    </PostForm>
                  </td>
                  <td className="tabular-nums">{r.noResults}</td>
                  <td className="tabular-nums" data-testid="finds-now">
                    {findsNow.get(r.query) ? `能找到 ${findsNow.get(r.query)} 篇` : "仍无结果"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="top">
          <h2 id="top" className="text-lg font-medium">
            搜索最多的查询
          </h2>
          <table className="mt-2 w-full text-sm tabular-nums" data-testid="top-queries">
            <AdminTableHead labels={["查询", "搜索", "无结果", "打开结果"]} />
            <tbody>
              {report.top.map((r) => (
                <tr key={r.query} className="border-b border-zinc-100 dark:border-zinc-800">
                  <td className="py-1">{r.query}</td>
                  <td>{r.searches}</td>
                  <td>{r.noResults}</td>
                  <td>{r.clicks}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 className="mt-6 text-lg font-medium">打开的是第几条结果</h2>
          <ul className="mt-2 space-y-1 text-sm" data-testid="click-positions">
            {report.positions.slice(0, 20).map((p) => (
              <li key={p.position} className="flex items-center gap-2 tabular-nums">
                <span className="w-10 text-right">第 {p.position}</span>
                <span className="h-3 rounded-sm bg-blue-700" style={{ width: `${Math.max(2, (p.clicks / maxClicks) * 240)}px` }} />
                <span>{p.clicks}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </AdminShell>
  );
}
