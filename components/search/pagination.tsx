import { searchHref, type SearchState } from "@/lib/search/client/url";

/** Page links around the current page, built from the URL state. */
export function Pagination({ state, total, size }: { state: SearchState; total: number; size: number }) {
  const pages = Math.ceil(total / size);
  if (pages <= 1) return null;
  const current = Math.min(state.page, pages);
  const shown = new Set([1, pages, current - 2, current - 1, current, current + 1, current + 2].filter((p) => p >= 1 && p <= pages));
  const list = [...shown].sort((a, b) => a - b);
  const cls = "inline-flex h-9 min-w-9 items-center justify-center rounded-md border px-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700";
  return (
    <nav aria-label="分页" className="mt-6 flex flex-wrap items-center gap-1.5">
      {current > 1 && (
        <a href={searchHref(state, { page: current - 1 })} rel="prev" className={`${cls} border-zinc-300 dark:border-zinc-700`}>
          上一页
        </a>
      )}
      {list.map((p, i) => (
        <span key={p} className="contents">
          {i > 0 && p - list[i - 1] > 1 && <span className="px-1 text-zinc-400">…</span>}
          {p === current ? (
            <span aria-current="page" className={`${cls} border-red-700 bg-red-700 text-white`}>
              {p}
            </span>
          ) : (
            <a href={searchHref(state, { page: p })} className={`${cls} border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800`}>
              {p}
            </a>
          )}
        </span>
      ))}
      {current < pages && (
        <a href={searchHref(state, { page: current + 1 })} rel="next" className={`${cls} border-zinc-300 dark:border-zinc-700`}>
          下一页
        </a>
      )}
    </nav>
  );
}
