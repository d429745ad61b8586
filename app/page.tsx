import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/layout/site-header";
import { ActiveFilters } from "@/components/search/active-filters";
import { FilterDrawer } from "@/components/search/filter-drawer";
import { Filters } from "@/components/search/filters";
import { Pagination } from "@/components/search/pagination";
import { ResultsArea } from "@/components/search/pending";
import { QueryReading } from "@/components/search/query-reading";
import { Results } from "@/components/search/results";
import { SearchBox } from "@/components/search/search-box";
import { Timeline } from "@/components/search/timeline";
import { feedTitle, requestParams } from "@/lib/search/feed";
import { PAGE_SIZE, readSearchPage } from "@/lib/search/page-state";
import { LIMITS } from "@/lib/search/params";
import { loadSearchIndex } from "@/lib/search/server";
import { hasFilters, searchHref } from "@/lib/search/url";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { state, request, queryProblem } = readSearchPage(await searchParams);
  const feed = queryProblem ? {} : { alternates: { types: { "application/atom+xml": [{ url: feedHref(request), title: feedTitle(request) }] } } };
  return { title: state.q.trim() ? `${state.q.trim()} - 搜索` : "党建文库检索", ...feed };
}

/** The feed that follows this search (same query and filters, newest first). */
function feedHref(request: Parameters<typeof requestParams>[0]): string {
  const query = requestParams(request).toString();
  return `/feed.xml${query ? `?${query}` : ""}`;
}

export default async function SearchPage({ searchParams }: Props) {
  const { state, request, problems, queryProblem } = readSearchPage(await searchParams);
  const index = await loadSearchIndex();
  const res = index.search(request);
  const searching = state.q.trim().length > 0;
  const activeCount = state.authors.length + state.sources.length + (state.from || state.to ? 1 : 0);
  const words = res.query.words;
  return (
    <>
      <SiteHeader>
        <SearchBox state={state} autoFocus={!searching} />
      </SiteHeader>
      <noscript>
        <style>{`.filters-panel{display:block!important;position:static!important;width:auto!important;box-shadow:none!important}`}</style>
      </noscript>
      <main id="main" className="mx-auto max-w-6xl px-4 py-4 md:grid md:grid-cols-[15rem_minmax(0,1fr)] md:gap-8">
        <FilterDrawer activeCount={activeCount}>
          <Filters state={state} facets={res.facets} today={new Date()} />
        </FilterDrawer>
        <div className="min-w-0">
          <h1 className="sr-only">{searching ? `“${state.q.trim()}”的搜索结果` : "党建文库检索"}</h1>
          <div className="mb-3 min-h-5">
            {!queryProblem && <QueryReading raw={state.q} reading={res.query} />}
          </div>
          {problems.map((p) => (
            <p key={p} role="alert" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
              已忽略无效参数 {p}
            </p>
          ))}
          {queryProblem && (
            <section role="alert" aria-labelledby="query-refused" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
              <h2 id="query-refused" className="font-medium">
                查询超出限制，未执行搜索
              </h2>
              <p className="mt-1">
                一次查询最多 {LIMITS.queryChars} 个字符、{LIMITS.queryParts} 个部分（词、短语、排除词、“或”选项）。请缩短后再搜索。
              </p>
              <p className="mt-1 text-xs opacity-80">{queryProblem.message}</p>
            </section>
          )}
          <ActiveFilters state={state} />
          {!queryProblem && (
            <>
            <Timeline years={res.facets.years} state={state} span={index.yearSpan()} />
            <p className="mb-1 text-sm text-zinc-500 dark:text-zinc-400" aria-live="polite" data-testid="result-count">
              {searching ? (
                <>
                  找到 <strong className="font-semibold text-zinc-800 dark:text-zinc-100">{res.total}</strong> {res.total === res.totalArticles ? "篇文章" : <>条结果（{res.totalArticles} 篇文章，转载合并显示）</>}，用时 {res.tookMs} 毫秒
                </>
              ) : (
                <>
                  {hasFilters(state) ? "符合条件的" : "全部"} <strong className="font-semibold text-zinc-800 dark:text-zinc-100">{res.total}</strong> 篇文章，按{state.sort === "oldest" ? "时间先后" : "发布时间由新到旧"}排列
                </>
            )}
            <span aria-hidden="true"> · </span>
            <a href={feedHref(request)} className="text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300" title="Atom 订阅：有新的匹配文章时，阅读器会收到">
              订阅{searching || hasFilters(state) ? "此搜索" : "最新文章"}
            </a>
          </p>
          {res.didYouMean && (
            <p className="mb-2 text-[15px]" data-testid="did-you-mean">
              您是不是要找：
              <Link prefetch={false} href={searchHref(state, { q: res.didYouMean })} className="font-medium text-blue-800 underline underline-offset-4 dark:text-blue-300">
                {res.didYouMean}
              </Link>
            </p>
          )}
          <ResultsArea>
          {res.total === 0 ? (
            <section aria-labelledby="no-results" className="py-10">
              <h2 id="no-results" className="text-lg font-medium">
                没有找到{searching ? <>与“{state.q.trim()}”相关的</> : "符合条件的"}文章
              </h2>
              <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-zinc-600 dark:text-zinc-300">
                {hasFilters(state) && (
                  <li>
                    <Link prefetch={false} className="text-blue-800 underline dark:text-blue-300" href={searchHref(state, { authors: [], sources: [], from: "", to: "" })}>
                      去掉筛选条件再搜索
                    </Link>
                  </li>
                )}
                {words.length > 1 &&
                  words.map((w) => (
                    <li key={w}>
                      只搜{" "}
                      <Link prefetch={false} className="text-blue-800 underline dark:text-blue-300" href={searchHref(state, { q: w })}>
                        {w}
                      </Link>
                    </li>
                  ))}
                <li>检查错别字，或换一个说法；简体、繁体都可以搜索。</li>
              </ul>
            </section>
          ) : (
            <>
              {!searching && <h2 className="sr-only">最新文章</h2>}
              <Results hits={res.hits} state={state} offset={(request.page - 1) * PAGE_SIZE} />
              <Pagination state={state} total={res.total} size={PAGE_SIZE} />
            </>
          )}
          </ResultsArea>
          </>
          )}
        </div>
      </main>
    </>
  );
}
