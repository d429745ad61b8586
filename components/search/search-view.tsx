"use client";
// The search page's content, rendered on the server for the first answer (and
// for every visit without JavaScript), then kept up to date in the browser:
// typing asks /api/search for the new results page (one small JSON answer, a
// few milliseconds on the server) and renders it here, and the URL follows
// with history.replaceState. A link (facet, page, sort) is a normal
// navigation: the server renders it and what it sends replaces the live view.
// An answer that is not a 200 (a refused query, a bad filter) falls back to a
// navigation too, so the server's page explains it.
import { useRouter } from "next/navigation";
import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import { ActiveFilters } from "@/components/search/active-filters";
import { FilterDrawer } from "@/components/search/filter-drawer";
import { Filters } from "@/components/search/filters";
import { Pagination } from "@/components/search/pagination";
import { ResultsArea, useSetPending } from "@/components/search/pending";
import { QueryReading } from "@/components/search/query-reading";
import { Results } from "@/components/search/results";
import { useSearchBeacon } from "@/components/search/search-beacon";
import { SearchBox } from "@/components/search/search-box";
import { Timeline } from "@/components/search/timeline";
import type { PageResponse } from "@/components/search/results-html";
import { ExportMenu } from "@/components/search/export-menu";
import { feedHref, hasFilters, trendsHref, PAGE_SIZE, searchHref, searchTitle, toParams, type SearchState } from "@/lib/search/client/url";

export interface SearchViewProps {
  state: SearchState;
  /**
   * The results page as JSON (PageResponse). One string in the page's RSC
   * payload instead of an object tree: React serialises and reads back an
   * object property by property, and the results page's snippets and facets
   * were hundreds of objects; a string is copied, and parsed here natively.
   */
  answer: string;
  /** New with every server render of the page: a render that happens to give the same answer still replaces the live view. */
  renderId: string;
  /** Whether the query was refused (over a limit): nothing was searched. */
  refused: boolean;
  /** The server's notices about the URL (PageNotices), already rendered. */
  notices: React.ReactNode;
  /** The library's first and last year. */
  span: [number, number] | null;
  /** The server's date (ISO), for the date presets. */
  today: string;
  /** Whether searches and opened results are counted (ANALYTICS). */
  analytics: boolean;
}

const SidebarFilters = memo(Filters);

// Memoised: the router re-renders the page when the URL is replaced; the server's props are then the same objects.
export const SearchView = memo(function SearchView(props: SearchViewProps) {
  const router = useRouter();
  const setPending = useSetPending();
  // What typing fetched, for the page the server last rendered (a new server render replaces it).
  const [live, setLive] = useState<{ for: PageResponse; state: SearchState; res: PageResponse } | null>(null);
  const latest = useRef<AbortController | null>(null);
  // Parsed again for each server render (renderId), so that its answer is a new object even when the JSON is the same.
  const served = useMemo(() => JSON.parse(props.answer) as PageResponse, [props.renderId, props.answer]);
  const fromServer = useMemo(() => ({ state: props.state, res: served }), [props.state, served]);
  const current = live && live.for === served ? live : null;
  const shown = current ?? fromServer;
  const { state, res } = shown;
  // A live view answers what was typed since: the server's notices were about the URL it rendered.
  const { refused, notices } = current ? { refused: false, notices: null } : props;
  const { span, today } = props;
  useSearchBeacon(props.analytics, state.q, res.total, res.page, refused);
  const todayDate = useMemo(() => new Date(today), [today]);
  // The sidebar (sort, dates, facets) follows a moment after the results: the results column is what the reader waits for.
  const sidebar = useDeferredValue(shown);

  const run = useCallback(
    (next: SearchState) => {
      latest.current?.abort();
      const ctrl = new AbortController();
      latest.current = ctrl;
      const href = searchHref(next, { page: next.page });
      const api = toParams(next);
      api.set("size", String(PAGE_SIZE));
      setPending(true);
      const fallback = () => {
        if (ctrl.signal.aborted) return;
        setPending(false);
        router.replace(href, { scroll: false });
      };
      fetch(`/api/search?${api}`, { signal: ctrl.signal })
        .then(async (r) => {
          if (r.status !== 200) return fallback();
          const body = (await r.json()) as PageResponse;
          if (ctrl.signal.aborted) return;
          setLive({ for: served, state: next, res: body });
          setPending(false);
          window.history.replaceState(window.history.state, "", href);
          document.title = searchTitle(next.q);
        })
        .catch((e: Error) => {
          if (e.name !== "AbortError") fallback();
        });
    },
    [served, router, setPending],
  );

  const searching = state.q.trim().length > 0;
  const activeCount = state.authors.length + state.sources.length + state.docTypes.length + state.issuers.length + (state.from || state.to ? 1 : 0);
  const words = res.query.words;
  return (
    <>
      <SiteHeader>
        <SearchBox state={state} autoFocus={!searching} instant={run} />
      </SiteHeader>
      <noscript>
        <style>{`.filters-panel{display:block!important;position:static!important;width:auto!important;box-shadow:none!important}`}</style>
      </noscript>
      <main id="main" className="mx-auto max-w-6xl px-4 py-4 md:grid md:grid-cols-[15rem_minmax(0,1fr)] md:gap-8">
        <FilterDrawer activeCount={activeCount}>
          <SidebarFilters state={sidebar.state} facets={sidebar.res.facets} today={todayDate} />
        </FilterDrawer>
        <div className="min-w-0">
          <h1 className="sr-only">{searching ? `“${state.q.trim()}”的搜索结果` : "党建文库检索"}</h1>
          <div className="mb-3 min-h-5">
            {!refused && <QueryReading raw={state.q} reading={res.query} />}
          </div>
          {notices}
          <ActiveFilters state={state} />
          {!refused && (
            <>
            <Timeline years={res.facets.years} state={state} span={span} />
            {/* A div, not a p: the 导出 menu is a <details>, which HTML does not allow inside a paragraph (the parser would close it, and hydration fail). */}
            <div className="mb-1 text-sm text-zinc-500 dark:text-zinc-400" aria-live="polite" data-testid="result-count">
              {searching ? (
                <>
                  找到 <strong className="font-semibold text-zinc-800 dark:text-zinc-100">{res.total}</strong> {res.total === res.totalArticles ? "篇文章" : <>条结果（{res.totalArticles} 篇文章，转载合并显示）</>}，用时 {res.tookMs} 毫秒
                </>
              ) : (
                <>
                  {hasFilters(state) ? "符合条件的" : "全部"} <strong className="font-semibold text-zinc-800 dark:text-zinc-100">{res.total}</strong> 篇文章，按{state.sort === "oldest" ? "时间先后" : "发布时间由新到旧"}排列
                </>
            )}
            {res.total > 0 && (
              <>
                {searching && (
                  <>
                    <span aria-hidden="true"> · </span>
                    <a href={trendsHref(state)} className="text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300" data-testid="trends-link">
                      看趋势
                    </a>
                  </>
                )}
                <span aria-hidden="true"> · </span>
                <ExportMenu state={state} total={res.total} />
              </>
            )}
            <span aria-hidden="true"> · </span>
            <a href={feedHref(state)} className="text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300" title="Atom 订阅：有新的匹配文章时，阅读器会收到">
              订阅{searching || hasFilters(state) ? "此搜索" : "最新文章"}
            </a>
          </div>
          {res.didYouMean && (
            <p className="mb-2 text-[15px]" data-testid="did-you-mean">
              您是不是要找：
              <a href={searchHref(state, { q: res.didYouMean })} className="font-medium text-blue-800 underline underline-offset-4 dark:text-blue-300">
                {res.didYouMean}
              </a>
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
                    <a className="text-blue-800 underline dark:text-blue-300" href={searchHref(state, { authors: [], sources: [], docTypes: [], issuers: [], from: "", to: "" })}>
                      去掉筛选条件再搜索
                    </a>
                  </li>
                )}
                {words.length > 1 &&
                  words.map((w) => (
                    <li key={w}>
                      只搜{" "}
                      <a className="text-blue-800 underline dark:text-blue-300" href={searchHref(state, { q: w })}>
                        {w}
                      </a>
                    </li>
                  ))}
                <li>检查错别字，或换一个说法；简体、繁体都可以搜索。</li>
              </ul>
            </section>
          ) : (
            <>
              {!searching && <h2 className="sr-only">最新文章</h2>}
              <Results hits={res.hits} state={state} offset={(res.page - 1) * PAGE_SIZE} />
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
});
