// Text as HTML strings, for the parts of pages written as one string instead of
// React elements (the reading page's body, the search page's results, facet
// lists and timeline): rendered as elements, each of them cost the server far
// more than the string. Text stays text: every piece of an article or a facet
// value goes through escapeHtml, and tests render hostile texts in Chromium
// and read them back as text.
import type { Parts } from "@/lib/search/engine/highlight";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text (or an attribute value) as HTML that reads back as exactly that text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ESCAPES[c]);
}

/** A mark in the body: the title's marks' utilities (components/text/highlighted.tsx) as one class (app/globals.css). */
const MARK_CLASS = "hl";

/** Highlight parts as HTML: matches in <mark> (numbered from `firstMark` with `markIdPrefix`), the rest in <span>, as components/text/highlighted.tsx renders them. */
export function highlightedHtml(parts: Parts, markIdPrefix?: string, firstMark = 0): string {
  let n = firstMark;
  let out = "";
  for (const p of parts) {
    if (p.match) {
      const id = markIdPrefix ? ` id="${escapeHtml(`${markIdPrefix}${n++}`)}"` : "";
      out += `<mark data-match=""${id} class="${MARK_CLASS}">${escapeHtml(p.text)}</mark>`;
    } else out += `<span>${escapeHtml(p.text)}</span>`;
  }
  return out;
}
