// The reading page's body as one HTML string (components/article/reading-body.ts)
// against the React elements it replaced: the same elements, attributes and
// text, and every article text read back as exactly that text.
import * as cheerio from "cheerio";
import { canonical } from "../../testkit/html-canonical";
import fc from "fast-check";
import { createElement as h, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { readingBodyHtml } from "@/components/article/reading-body";
import { escapeHtml, highlightedHtml } from "@/components/text/html";
import type { Parts } from "@/lib/search/engine/highlight";

/**
 * The body as the page rendered it with React before (app/articles/[id]/page.tsx at 02fd856: the same elements,
 * attributes and text; the page link was a next/link, which renders this <a>), with the short classes that now
 * carry the same utilities (app/globals.css; screenshots before and after were compared pixel for pixel).
 */
function reactBody(paragraphs: Parts[], pdf: { href: string; pages: number[] } | null): string {
  const firstMark: number[] = [];
  let marks = 0;
  for (const parts of paragraphs) {
    firstMark.push(marks);
    marks += parts.filter((p) => p.match).length;
  }
  return renderToStaticMarkup(
    h(
      Fragment,
      null,
      paragraphs.map((parts, i) =>
        h(
          "p",
          { key: i, id: `p${i + 1}`, className: "para" },
          h("span", { "data-paragraph-text": "" }, marked(parts, firstMark[i])),
          h(
            "span",
            { className: "paragraph-tools no-print" },
            h("a", { href: `#p${i + 1}`, className: "para-link", title: `第 ${i + 1} 段的链接`, "aria-label": `第 ${i + 1} 段的链接` }, "¶"),
            h(
              "button",
              { type: "button", "data-excerpt": i + 1, className: "excerpt-button", "aria-label": `摘录第 ${i + 1} 段` },
              "摘录",
            ),
          ),
          pdf && parts.some((p) => p.match)
            ? h("a", { href: `${pdf.href}?page=${pdf.pages[i]}`, className: "para-page", "data-page": pdf.pages[i] }, "（第 ", pdf.pages[i], " 页）")
            : null,
        ),
      ),
    ),
  );
}

/** Highlighted (components/text/highlighted.tsx) with the body's mark class. */
function marked(parts: Parts, first: number) {
  let n = first;
  return parts.map((p, i) => (p.match ? h("mark", { key: i, "data-match": "", id: `m-${n++}`, className: "hl" }, p.text) : h("span", { key: i }, p.text)));
}

// Article text as it comes: any characters but the two an HTML parser never gives back as they are (CR becomes LF, NUL U+FFFD).
const articleText = fc.string({ unit: fc.oneof(fc.constantFrom("<", ">", "&", '"', "'", "/", "=", "党", "黨", " ", "\n", "a", "&amp;", "<script>", "</p>", "-->"), fc.string({ unit: "binary", minLength: 1, maxLength: 2 })), minLength: 1, maxLength: 30 }).filter((s) => !/[\r\0]/u.test(s));
const parts = fc.array(fc.record({ text: articleText, match: fc.boolean() }), { minLength: 1, maxLength: 6 });

describe("the reading page's body as one HTML string", () => {
  it("is the markup React rendered before: elements, attributes, mark numbering and page links", () => {
    fc.assert(
      fc.property(fc.array(parts, { minLength: 1, maxLength: 8 }), fc.boolean(), (paragraphs, paged) => {
        const pdf = paged ? { href: "/articles/a%2Fb/pdf", pages: paragraphs.map((_, i) => i + 1) } : null;
        expect(canonical(readingBodyHtml(paragraphs, pdf).html)).toEqual(canonical(reactBody(paragraphs, pdf)));
      }),
      { numRuns: 300 },
    );
  });

  it("reads back every article text as exactly that text, in attributes too, and makes no element of it", () => {
    fc.assert(
      fc.property(articleText, (text) => {
        const $ = cheerio.load(`<p title="${escapeHtml(text)}">${escapeHtml(text)}</p>`, null, false);
        expect($("p").text()).toBe(text);
        expect($("p").attr("title")).toBe(text);
        expect($("*").length).toBe(1);
      }),
      { numRuns: 1000 },
    );
    const html = highlightedHtml([{ text: `<img src=x onerror="alert(1)">`, match: false }, { text: "<script>alert(2)</script>", match: true }], "m-", 7);
    const $ = cheerio.load(html, null, false);
    expect($("img, script").length).toBe(0);
    expect($("mark#m-7").text()).toBe("<script>alert(2)</script>");
  });

  it("numbers marks through the whole body, as the match navigator finds them", () => {
    const { html: body } = readingBodyHtml(
      [
        [{ text: "一", match: true }, { text: "二", match: false }, { text: "三", match: true }],
        [{ text: "四", match: false }],
        [{ text: "五", match: true }],
      ],
      null,
    );
    const $ = cheerio.load(body, null, false);
    expect($("mark").map((_, m) => $(m).attr("id")).get()).toEqual(["m-0", "m-1", "m-2"]);
    expect($("p").map((_, p) => $(p).attr("id")).get()).toEqual(["p1", "p2", "p3"]);
  });
});
