import Link from "next/link";
import type { FacetValue } from "@/lib/search/engine/types";
import { searchHref, type SearchState } from "@/lib/search/client/url";

/** Matching articles per year as bars; a bar is a link that narrows the search to its year. */
export function Timeline({ years, state, span: librarySpan }: { years: FacetValue[]; state: SearchState; span: [number, number] | null }) {
  if (years.length === 0 || !librarySpan) return null;
  const byYear = new Map(years.map((y) => [Number(y.value), y.count]));
  // The library's whole span, so bars keep their place as filters change and gaps show as gaps.
  const first = Math.min(librarySpan[0], ...byYear.keys());
  const last = Math.max(librarySpan[1], ...byYear.keys());
  const span = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const max = Math.max(...byYear.values());
  // Every year labelled where there is room (up to 16 on wide screens), about six labels on phones.
  const phoneEvery = Math.ceil(span.length / 6);
  const labelled = (i: number) => i % phoneEvery === 0 || i === span.length - 1;
  const selected = (y: number) => state.from === String(y) && state.to === String(y);
  return (
    <figure className="mb-4" aria-labelledby="timeline-caption">
      <figcaption id="timeline-caption" className="mb-1 text-xs text-zinc-500 dark:text-zinc-400">
        按年份分布（点击柱条筛选该年）
      </figcaption>
      <div className="flex h-16 items-end gap-1" role="list">
        {span.map((y) => {
          const count = byYear.get(y) ?? 0;
          const height = count ? Math.max(6, Math.round((count / max) * 100)) : 0;
          const label = `${y}年：${count} 篇`;
          return (
            <Link prefetch={false}
              key={y}
              role="listitem"
              href={selected(y) ? searchHref(state, { from: "", to: "" }) : searchHref(state, { from: String(y), to: String(y) })}
              aria-label={label}
              aria-current={selected(y) ? "true" : undefined}
              title={label}
              data-year={y}
              className="group flex h-full min-w-1 max-w-14 flex-1 items-end border-b border-zinc-300 focus-visible:outline-2 focus-visible:outline-red-700 dark:border-zinc-700"
            >
              <span
                className={`block w-full rounded-t-sm transition-colors ${selected(y) ? "bg-red-700" : "bg-red-300 group-hover:bg-red-500 dark:bg-red-800 dark:group-hover:bg-red-600"}`}
                style={{ height: `${height}%` }}
              />
            </Link>
          );
        })}
      </div>
      <div className="mt-0.5 flex gap-1 text-[11px] text-zinc-500" aria-hidden>
        {span.map((y, i) => (
          <span key={y} className="min-w-1 max-w-14 flex-1 text-center tabular-nums">
            <span className={labelled(i) ? "" : span.length <= 16 ? "hidden md:inline" : "hidden"}>{y}</span>
          </span>
        ))}
      </div>
    </figure>
  );
}
