// The reading page's body as one HTML string. A long report has hundreds of
// paragraphs, each with its marks, text spans and paragraph tools; rendered
// as React elements they were serialised into the RSC payload and rendered
// again to HTML, element by element, which made most of a reading page's
// server time. Nothing in the body is interactive through React (the excerpt
// buttons are handled by delegation in CollectToolbar, the marks found by id
// by MatchNavigator), so it is written here once, as the elements would have
// been, and placed with dangerouslySetInnerHTML.
// Text stays text: every piece of an article goes through escapeHtml, and a
// test renders hostile texts in Chromium and reads them back as text.
import type { Parts } from "@/lib/search/engine/highlight";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text (or an attribute value) as HTML that reads back as exactly that text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ESCAPES[c]);
}

export const MARK_CLASS = "rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40";

/** Highlight parts as HTML: matches in <mark> (numbered from `firstMark` with `markIdPrefix`), the rest in <span>, as components/text/highlighted.tsx renders them. */
export function highlightedHtml(parts: Parts, markIdPrefix?: string, firstMark = 0, markClassName = ""): string {
  let n = firstMark;
  let out = "";
  for (const p of parts) {
    if (p.match) {
      const id = markIdPrefix ? ` id="${escapeHtml(`${markIdPrefix}${n++}`)}"` : "";
      out += `<mark data-match=""${id} class="${MARK_CLASS} ${markClassName}">${escapeHtml(p.text)}</mark>`;
    } else out += `<span>${escapeHtml(p.text)}</span>`;
  }
  return out;
}

const PARAGRAPH_CLASS = "mt-4 scroll-mt-24 text-justify indent-[2em] first:mt-0 target:bg-amber-50 dark:target:bg-amber-950/40";
const TOOLS_CLASS = "paragraph-tools no-print ml-2 inline-flex items-baseline gap-1 indent-0 align-baseline text-sm";
const ANCHOR_CLASS = "text-zinc-600 no-underline hover:text-red-700 dark:text-zinc-300";
const EXCERPT_CLASS = "excerpt-button rounded border border-zinc-300 px-1.5 text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800";
const PAGE_LINK_CLASS = "ml-2 whitespace-nowrap text-sm text-blue-800 underline-offset-4 hover:underline dark:text-blue-300";

/**
 * Every paragraph of an article as the reading page shows it: its text with
 * numbered marks, its link (#pN) and excerpt button, and for a paged original
 * the page a matching paragraph is on.
 */
export function readingBodyHtml(paragraphs: Parts[], pdf: { href: string; pages: number[] } | null): string {
  let marks = 0;
  let out = "";
  paragraphs.forEach((parts, i) => {
    const n = i + 1;
    out += `<p id="p${n}" class="${PARAGRAPH_CLASS}"><span data-paragraph-text="">${highlightedHtml(parts, "m-", marks, "scroll-mt-24")}</span>`;
    out += `<span class="${TOOLS_CLASS}"><a href="#p${n}" class="${ANCHOR_CLASS}" title="第 ${n} 段的链接" aria-label="第 ${n} 段的链接">¶</a>`;
    out += `<button type="button" data-excerpt="${n}" class="${EXCERPT_CLASS}" aria-label="摘录第 ${n} 段">摘录</button></span>`;
    const matched = parts.some((p) => p.match);
    if (pdf && matched) {
      const page = pdf.pages[i];
      out += `<a href="${escapeHtml(`${pdf.href}?page=${page}`)}" class="${PAGE_LINK_CLASS}" data-page="${page}">（第 ${page} 页）</a>`;
    }
    out += "</p>";
    for (const p of parts) if (p.match) marks++;
  });
  return out;
}
