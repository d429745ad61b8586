// The search page's results, facet values and timeline bars as HTML strings
// (components/search/results-html.ts, facet-html.ts, timeline.tsx) against the
// React elements they replaced (components/search/*.tsx at 92716f8, with
// next/link's <a>): the same elements, attributes and text for any hits and
// values, hostile ones included. Only the classes changed, to short ones
// carrying the same utilities (app/globals.css; screenshots compared).
import * as cheerio from "cheerio";
import fc from "fast-check";
import { createElement as h, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { facetItemsHtml, type FacetItem } from "@/components/search/facet-html";
import { resultsHtml } from "@/components/search/results-html";
import { Timeline } from "@/components/search/timeline";
import type { Parts } from "@/lib/search/engine/highlight";
import type { SearchHit } from "@/lib/search/engine/types";
import { articleHref, searchHref, type SearchState } from "@/lib/search/client/url";
import { canonical } from "../../testkit/html-canonical";

const text = fc.string({ unit: fc.oneof(fc.constantFrom("<", ">", "&", '"', "'", "/", "=", "党", "黨", " ", "a", "&amp;", "<script>", "</li>", "-->"), fc.string({ unit: "binary", minLength: 1, maxLength: 2 })), minLength: 1, maxLength: 20 }).filter((s) => !/[\r\0\n]/u.test(s));
const parts = fc.array(fc.record({ text, match: fc.boolean() }), { minLength: 1, maxLength: 5 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const ref = fc.record({ id: text, title: text, source: maybe(text), date: maybe(fc.constantFrom("2021-03-04", "1999-12-31")) });
const hit = fc.record({ id: text, titleParts: parts, author: maybe(text), source: maybe(text), date: maybe(fc.constantFrom("2021-03-04", "2008-01-01")), snippets: fc.array(parts, { maxLength: 3 }), copies: fc.array(ref, { maxLength: 5 }), matchParagraph: maybe(fc.integer({ min: 1, max: 40 })) });
const state = fc.record({ q: text, authors: fc.array(text, { maxLength: 2 }), sources: fc.constant([]), docTypes: fc.constant([]), issuers: fc.constant([]), from: fc.constantFrom("", "2021"), to: fc.constantFrom("", "2021"), sort: fc.constantFrom("relevance", "newest"), page: fc.integer({ min: 1, max: 3 }), group: fc.constant("") }) as fc.Arbitrary<SearchState>;

/** components/text/highlighted.tsx */
const highlighted = (ps: Parts) => ps.map((p, i) => (p.match ? h("mark", { key: i, "data-match": "" }, p.text) : h("span", { key: i }, p.text)));

/** Results (components/search/results.tsx) as it rendered its hits. */
function reactResults(hits: SearchHit[], st: SearchState, offset: number): string {
  return renderToStaticMarkup(
    h(
      Fragment,
      null,
      hits.map((hit, i) =>
        h(
          "li",
          { key: i },
          h(
            "article",
            null,
            h("h2", null, h("a", { href: `${articleHref(hit.id, st)}${hit.matchParagraph ? `#p${hit.matchParagraph}` : ""}`, "data-result-link": "", "data-position": offset + i + 1 }, highlighted(hit.titleParts))),
            h("p", null, hit.author && h("span", null, hit.author), hit.source && h("span", null, hit.source), hit.date && h("time", { dateTime: hit.date }, hit.date)),
            hit.snippets.map((s, j) => h("p", { key: j }, highlighted(s), h("span", { "aria-hidden": true }, "…"))),
            hit.copies.length > 0 &&
              h(
                "p",
                { "data-testid": "copies" },
                h("span", null, "同文另见 "),
                hit.copies.slice(0, 3).map((c, j) => h("span", { key: j }, j > 0 && "、", h("a", { href: articleHref(c.id, st) }, c.source ?? c.title, c.date && h("span", null, `（${c.date}）`)))),
                hit.copies.length > 3 && h("span", null, " 等"),
                h("span", null, `，共 ${hit.copies.length + 1} 处发布`),
              ),
          ),
        ),
      ),
    ),
  );
}

/** FacetList's Item (components/search/facet-list.tsx). */
function reactFacetItems(items: FacetItem[]): string {
  return renderToStaticMarkup(
    h(
      Fragment,
      null,
      items.map((item, i) =>
        h("li", { key: i }, h("a", { href: item.href }, h("span", null, h("span", { "aria-hidden": true }), h("span", null, item.active && h("span", null, "已选："), item.value)), h("span", null, item.count))),
      ),
    ),
  );
}

const noClass = { dropAttributes: ["class"] };

describe("the search page's parts as HTML strings", () => {
  it("results: the elements, attributes and text React rendered, for any hits", () => {
    fc.assert(
      fc.property(fc.array(hit, { maxLength: 4 }), state, fc.integer({ min: 0, max: 30 }), (hits, st, offset) => {
        const full = hits as unknown as SearchHit[];
        expect(canonical(resultsHtml(full, st, offset), noClass)).toEqual(canonical(reactResults(full, st, offset), noClass));
      }),
      { numRuns: 300 },
    );
  });

  it("facet values: the elements, attributes and text React rendered, for any values", () => {
    const item = fc.record({ value: text, count: fc.nat(), href: text.map((t) => `/?author=${encodeURIComponent(t)}&q=${t}`), active: fc.boolean() });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), (items) => {
        expect(canonical(facetItemsHtml(items), noClass)).toEqual(canonical(reactFacetItems(items), noClass));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps hostile text as text and makes no element of it", () => {
    const evil = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;
    const hits = [{ id: evil, titleParts: [{ text: evil, match: true }], author: evil, source: evil, date: null, snippets: [[{ text: evil, match: false }]], copies: [{ id: evil, title: evil, source: null, date: null }], matchParagraph: null }] as unknown as SearchHit[];
    const $ = cheerio.load(`<ol>${resultsHtml(hits, { q: evil, authors: [], sources: [], docTypes: [], issuers: [], from: "", to: "", sort: "relevance", page: 1, group: "" }, 0)}</ol><ul>${facetItemsHtml([{ value: evil, count: 1, href: searchHref({ q: evil, authors: [evil], sources: [], docTypes: [], issuers: [], from: "", to: "", sort: "relevance", page: 1, group: "" }), active: true }])}</ul>`, null, false);
    expect($("img, script").length).toBe(0);
    expect($("[data-result-link]").text()).toBe(evil);
    expect($(".hit-meta span").first().text()).toBe(evil);
    expect($("ul .truncate").text()).toBe(`已选：${evil}`);
  });

  it("timeline: a bar per year of the library's span, each a link to its year (or back from it), labels as before", () => {
    const st: SearchState = { q: "党建", authors: [], sources: [], docTypes: [], issuers: [], from: "2021", to: "2021", sort: "relevance", page: 1, group: "" };
    const html = renderToStaticMarkup(h(Timeline, { years: [{ value: "2019", count: 4 }, { value: "2021", count: 1 }], state: st, span: [2018, 2022] }));
    const $ = cheerio.load(html, null, false);
    const bars = $("[role=list] a").toArray();
    expect(bars.map((b) => $(b).attr("aria-label"))).toEqual(["2018年：0 篇", "2019年：4 篇", "2020年：0 篇", "2021年：1 篇", "2022年：0 篇"]);
    expect(bars.map((b) => $(b).attr("href"))).toEqual([2018, 2019, 2020, null, 2022].map((y) => (y ? searchHref(st, { from: String(y), to: String(y) }) : searchHref(st, { from: "", to: "" }))));
    expect(bars.map((b) => $(b).find("span").attr("style"))).toEqual(["height:0%", "height:100%", "height:0%", "height:25%", "height:0%"]);
    expect($("[aria-current=true]").attr("data-year")).toBe("2021");
    expect($("[aria-hidden] > span").map((_, s) => $(s).text()).get()).toEqual(["2018", "2019", "2020", "2021", "2022"]);
  });
});
