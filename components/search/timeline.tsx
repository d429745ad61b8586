import { escapeHtml } from "@/components/text/html";
import type { FacetValue } from "@/lib/search/engine/types";
import { searchHref, type SearchState } from "@/lib/search/client/url";

/**
 * The bars and their year labels as HTML strings (see results-html.ts for
 * why): a library's span of thirty-odd years made ~100 elements in every
 * search page. A bar is a link that narrows the search to its year (or, when
 * that year is the filter, removes it).
 */
function timelineHtml(span: number[], byYear: Map<number, number>, state: SearchState): { bars: string; labels: string } {
  const max = Math.max(...byYear.values());
  // Every year labelled where there is room (up to 16 on wide screens), about six labels on phones.
  const phoneEvery = Math.ceil(span.length / 6);
  const hidden = span.length <= 16 ? "hidden md:inline" : "hidden";
  let bars = "";
  let labels = "";
  span.forEach((y, i) => {
    const count = byYear.get(y) ?? 0;
    const height = count ? Math.max(6, Math.round((count / max) * 100)) : 0;
    const label = `${y}年：${count} 篇`;
    const selected = state.from === String(y) && state.to === String(y);
    const href = selected ? searchHref(state, { from: "", to: "" }) : searchHref(state, { from: String(y), to: String(y) });
    bars += `<a role="listitem" href="${escapeHtml(href)}" aria-label="${label}"${selected ? ' aria-current="true"' : ""} title="${label}" data-year="${y}" class="year"><span class="year-bar${selected ? " on" : ""}" style="height:${height}%"></span></a>`;
    const shown = i % phoneEvery === 0 || i === span.length - 1;
    labels += `<span class="year-label"><span${shown ? "" : ` class="${hidden}"`}>${y}</span></span>`;
  });
  return { bars, labels };
}

/** Matching articles per year as bars; a bar is a link that narrows the search to its year. */
export function Timeline({ years, state, span: librarySpan }: { years: FacetValue[]; state: SearchState; span: [number, number] | null }) {
  if (years.length === 0 || !librarySpan) return null;
  const byYear = new Map(years.map((y) => [Number(y.value), y.count]));
  // The library's whole span, so bars keep their place as filters change and gaps show as gaps.
  const first = Math.min(librarySpan[0], ...byYear.keys());
  const last = Math.max(librarySpan[1], ...byYear.keys());
  const span = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const { bars, labels } = timelineHtml(span, byYear, state);
  return (
    <figure className="mb-4" aria-labelledby="timeline-caption">
      <figcaption id="timeline-caption" className="mb-1 text-xs text-zinc-500 dark:text-zinc-400">
        按年份分布（点击柱条筛选该年）
      </figcaption>
      <div className="flex h-16 items-end gap-1" role="list" dangerouslySetInnerHTML={{ __html: bars }} />
      <div className="mt-0.5 flex gap-1 text-[11px] text-zinc-500" aria-hidden dangerouslySetInnerHTML={{ __html: labels }} />
    </figure>
  );
}
