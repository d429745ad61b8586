import { beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine";
import type { SearchRequest, SearchResponse } from "@/lib/search/types";
import { normalize } from "@/lib/text/normalize";
import { readerArticles } from "../fixtures/reader-articles";

let index: SearchIndex;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 100 };
const search = (q: string, over: Partial<SearchRequest> = {}): SearchResponse => index.search({ ...base, q, ...over });
const ids = (q: string) => search(q).hits.map((h) => h.id);
const marked = (r: SearchResponse, id: string) => {
  const hit = r.hits.find((h) => h.id === id)!;
  return [...hit.titleParts, ...hit.snippets.flat()].filter((p) => p.match).map((p) => p.text);
};

beforeAll(async () => {
  index = await SearchIndex.build(readerArticles());
});

describe("regional spellings", () => {
  it("计划 and 計畫 find exactly the same articles, with the marks on the article's own 計畫", () => {
    expect(new Set(ids("计划"))).toEqual(new Set(["tw-plan", "cn-plan"]));
    expect(ids("計畫")).toEqual(ids("计划"));
    expect(marked(search("计划"), "tw-plan")).toContain("計畫");
    expect(marked(search("计划"), "cn-plan")).toContain("计划");
  });

  it("了解 finds 瞭解; 著作 is not turned into 着作 and 著手 is 着手", () => {
    expect(new Set(ids("了解"))).toEqual(new Set(["tw-plan", "cn-plan"]));
    expect(marked(search("了解"), "tw-plan")).toContain("瞭解");
    expect(ids("着手")).toEqual(["tw-plan"]);
    expect(ids("著作")).toEqual(["classic-works"]);
    expect(ids("着作")).toEqual(["classic-works"]);
    expect(ids("乾隆")).toEqual(["classic-works"]);
    expect(ids("显著")).toEqual(["classic-works"]);
    expect(ids("著")).toEqual(expect.arrayContaining(["classic-works", "tw-plan"]));
  });

  it("the manifest records the spelling dictionaries", () => {
    expect(index.manifest.spellings).toMatch(/^opencc-js \d/);
  });
});

describe("synonyms and abbreviations", () => {
  it("二十大 finds 党的第二十次全国代表大会 and the reverse, exact matches first", () => {
    expect(ids("二十大")).toEqual(["twenty-short", "twenty-full"]);
    expect(ids("党的第二十次全国代表大会")).toEqual(["twenty-full", "twenty-short"]);
    expect(ids("黨的第二十次全國代表大會")).toEqual(["twenty-full", "twenty-short"]);
  });

  it("marks what matched: the synonym in the synonym's article", () => {
    const r = search("二十大");
    expect(marked(r, "twenty-full").map(normalize)).toContain("中国共产党第二十次全国代表大会");
    expect(marked(r, "twenty-short")).toContain("二十大");
  });

  it("reports the expansion in the response", () => {
    const q = search("三会一课").query;
    expect(q.expanded).toEqual([{ term: "三会一课", synonyms: expect.arrayContaining(["支部党员大会、支部委员会、党小组会和按时上好党课"]) }]);
    expect(ids("三会一课")).toEqual(["three-one-short", "three-one"]);
  });

  it("regional vocabulary: 网络 finds 網路 after the exact spelling, and the reverse", () => {
    expect(ids("网络")).toEqual(["cn-network", "tw-network"]);
    expect(ids("網路")).toEqual(["tw-network", "cn-network"]);
  });

  it("quoted phrases stay exact", () => {
    expect(ids('"二十大"')).toEqual(["twenty-short"]);
    expect(search('"二十大"').query.expanded).toEqual([]);
  });
});
