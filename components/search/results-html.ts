// The search page's results as one HTML string. Ten hits with their titles,
// snippets and reposts were ~250 React elements in the page's client tree,
// rendered to HTML at every request; nothing in them is interactive through
// React (a click on a link is a navigation, made soft by SoftNavigation, and
// counted by useSearchBeacon from the data attributes), so Results writes
// them here once, the same in the server's render and in the browser's, and
// places them with dangerouslySetInnerHTML. The classes are short ones of
// app/globals.css: every hit carries them.
import { escapeHtml, highlightedHtml } from "@/components/text/html";
import type { ArticleRef, SearchHit, SearchResponse } from "@/lib/search/engine/types";
import { articleHref, type SearchState } from "@/lib/search/client/url";

/** What a results page shows of a hit. */
export type ResultHit = Pick<SearchHit, "id" | "titleParts" | "author" | "source" | "date" | "snippets" | "copies" | "matchParagraph">;

/** A results page as the search page's client component receives it. */
export type PageResponse = Omit<SearchResponse, "hits"> & { hits: ResultHit[] };

/**
 * The search page's answer with its hits cut to what the page shows: the
 * props of the page's client component are serialised into the page (its RSC
 * payload), and a hit's address, score and document fields were a third of them.
 */
export function pageResponse(res: SearchResponse): PageResponse {
  return {
    ...res,
    hits: res.hits.map((h) => ({ id: h.id, titleParts: h.titleParts, author: h.author, source: h.source, date: h.date, snippets: h.snippets, copies: h.copies, matchParagraph: h.matchParagraph })),
  };
}

/** Reposts named under a hit; the rest are counted. */
const COPIES_SHOWN = 3;

/** "Also published by …": the other copies of a repost, each a link, sources named once. */
function copiesHtml(copies: ArticleRef[], state: SearchState): string {
  let out = `<p class="hit-copies" data-testid="copies"><span>同文另见 </span>`;
  copies.slice(0, COPIES_SHOWN).forEach((c, i) => {
    const date = c.date ? `<span class="text-zinc-500">（${escapeHtml(c.date)}）</span>` : "";
    out += `<span>${i > 0 ? "、" : ""}<a href="${escapeHtml(articleHref(c.id, state))}" class="link">${escapeHtml(c.source ?? c.title)}${date}</a></span>`;
  });
  if (copies.length > COPIES_SHOWN) out += "<span> 等</span>";
  return `${out}<span>，共 ${copies.length + 1} 处发布</span></p>`;
}

/** The hits of a results page as the list items of its <ol> (numbered from offset + 1). */
export function resultsHtml(hits: ResultHit[], state: SearchState, offset: number): string {
  let out = "";
  hits.forEach((hit, i) => {
    const href = `${articleHref(hit.id, state)}${hit.matchParagraph ? `#p${hit.matchParagraph}` : ""}`;
    out += `<li class="hit"><article><h2 class="hit-title"><a href="${escapeHtml(href)}" data-result-link="" data-position="${offset + i + 1}" class="hit-link">${highlightedHtml(hit.titleParts)}</a></h2>`;
    out += `<p class="hit-meta">`;
    if (hit.author) out += `<span>${escapeHtml(hit.author)}</span>`;
    if (hit.source) out += `<span>${escapeHtml(hit.source)}</span>`;
    if (hit.date) out += `<time datetime="${escapeHtml(hit.date)}">${escapeHtml(hit.date)}</time>`;
    out += "</p>";
    for (const s of hit.snippets) out += `<p class="hit-snippet">${highlightedHtml(s)}<span aria-hidden="true" class="text-zinc-400">…</span></p>`;
    if (hit.copies.length > 0) out += copiesHtml(hit.copies, state);
    out += "</article></li>";
  });
  return out;
}
