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
import { escapeHtml, highlightedHtml } from "@/components/text/html";

// Short classes whose utilities are written once in app/globals.css: a paragraph's markup is ~170 bytes instead of
// ~600, which counts twice per paragraph (the HTML and the RSC payload): a flattened table of 3,500 one-line
// paragraphs made a 5 MB page.
const PARAGRAPH_CLASS = "para";
const TOOLS_CLASS = "paragraph-tools no-print";
const ANCHOR_CLASS = "para-link";
const EXCERPT_CLASS = "excerpt-button";
const PAGE_LINK_CLASS = "para-page";

/**
 * Every paragraph of an article as the reading page shows it: its text with
 * numbered marks, its link (#pN) and excerpt button, and for a paged original
 * the page a matching paragraph is on; and how many marks it has.
 */
export function readingBodyHtml(paragraphs: Parts[], pdf: { href: string; pages: number[] } | null): { html: string; marks: number } {
  let marks = 0;
  let out = "";
  paragraphs.forEach((parts, i) => {
    const n = i + 1;
    out += `<p id="p${n}" class="${PARAGRAPH_CLASS}"><span data-paragraph-text="">${highlightedHtml(parts, "m-", marks)}</span>`;
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
  return { html: out, marks };
}
