import { beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchRequest, SearchResponse } from "@/lib/search/engine/types";
import { normalize } from "@/lib/text/normalize";
import { readerArticles } from "../fixtures/reader-articles";
import { buildSearchIndex } from "@/lib/search/build/in-memory";

let index: SearchIndex;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 100 };
const search = (q: string, over: Partial<SearchRequest> = {}): SearchResponse => index.search({ ...base, q, ...over });
const ids = (q: string) => search(q).hits.map((h) => h.id);
const marked = (r: SearchResponse, id: string) => {
  const hit = r.hits.find((h) => h.id === id)!;
  return [...hit.titleParts, ...hit.snippets.flat()].filter((p) => p.match).map((p) => p.text);
};

beforeAll(async () => {
  index = await buildSearchIndex(readerArticles());
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

describe("reposts grouped", () => {
  const group = ["repost-original", "repost-xinhua", "repost-traditional"];

  it("shows a repost group once, with the other copies and their sources; total counts groups", () => {
    const r = search("红色教育基地");
    const shown = r.hits.filter((h) => group.includes(h.id));
    expect(shown).toHaveLength(1);
    expect(new Set(shown[0].copies.map((c) => c.source))).toEqual(new Set(["人民网", "新华网", "香港文匯網"].filter((s) => s !== shown[0].source)));
    expect(r.hits.map((h) => h.id)).toContain("same-opening-different-story");
    expect(r.total).toBe(2);
    expect(r.totalArticles).toBe(4);
  });

  it("keeps near-identical but different articles apart", () => {
    const hit = search("红色教育基地").hits.find((h) => h.id === "same-opening-different-story")!;
    expect(hit.copies).toEqual([]);
  });

  it("counts every copy in the source facet, and a source filter shows that source's copy", () => {
    const r = search("红色教育基地");
    const sources = Object.fromEntries(r.facets.sources.map((f) => [f.value, f.count]));
    expect(sources["新华网"]).toBe(1);
    expect(sources["人民网"]).toBe(2);
    const filtered = search("红色教育基地", { sources: ["新华网"] });
    expect(filtered.hits.map((h) => h.id)).toEqual(["repost-xinhua"]);
  });

  it("group=0 lists every copy", () => {
    const r = search("红色教育基地", { group: false });
    expect(r.total).toBe(4);
    expect(r.hits.every((h) => h.copies.length === 0)).toBe(true);
  });

  it("the reading page names the reposts", () => {
    expect(index.get("repost-xinhua")!.copies.map((c) => c.id).sort()).toEqual(["repost-original", "repost-traditional"]);
  });
});

describe("related articles and key terms", () => {
  it("lists related articles that share distinctive terms, never the article's own reposts", () => {
    const view = index.get("repost-original")!;
    const related = view.related.map((r) => r.id);
    expect(related.length).toBeGreaterThan(0);
    expect(related).not.toContain("repost-xinhua");
    expect(related).not.toContain("repost-traditional");
    expect(related).not.toContain("repost-original");
    expect(related[0]).toBe("same-opening-different-story");
  });

  it("gives each article 5–8 key terms from its own text", () => {
    const view = index.get("same-opening-different-story")!;
    expect(view.keywords.length).toBeGreaterThanOrEqual(5);
    expect(view.keywords.length).toBeLessThanOrEqual(8);
    const text = index.normalizedText("same-opening-different-story")!;
    for (const k of view.keywords) expect(text).toContain(k);
  });
});

describe("suggestions", () => {
  it("completes words and titles from the library, in either script, most articles first", () => {
    const s = index.suggest("红色");
    expect(s.length).toBeGreaterThan(0);
    expect(s.length).toBeLessThanOrEqual(8);
    expect(s.some((x) => x.kind === "word" && x.text === "红色")).toBe(true);
    expect(s.some((x) => x.kind === "title" && x.text.startsWith("红色教育基地"))).toBe(true);
    expect(index.suggest("紅色")).toEqual(s);
    const words = s.filter((x) => x.kind === "word");
    for (let i = 1; i < words.length; i++) expect(words[i - 1].articles).toBeGreaterThanOrEqual(words[i].articles);
  });

  it("turns pinyin, spaced pinyin and initials into words of the library", () => {
    expect(index.suggest("dangshi")[0]).toEqual({ text: "党史", kind: "pinyin", articles: 4 });
    expect(index.suggest("zhu ti dang ri")[0].text).toBe("主题党日");
    expect(index.suggest("zhutidangri")[0].text).toBe("主题党日");
    expect(index.suggest("ztdr").map((x) => [x.text, x.kind])).toContainEqual(["主题党日", "initials"]);
    expect(index.suggest("zzzzqx")).toEqual([]);
  });
});

describe("warming between requests", () => {
  const prefixes = ["红色", "紅色", "dangshi", "zhu ti dang ri", "ztdr", "党", "主题"];
  const typed = (idx: SearchIndex) => prefixes.map((q) => idx.suggest(q));

  it("builds the suggestions in steps that let other work run, to the same answers", async () => {
    const warmed = await buildSearchIndex(readerArticles());
    let done = false;
    const warming = warmed.warmSuggestions(0).then(() => (done = true));
    let turns = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      turns++;
    }
    await warming;
    expect(turns).toBeGreaterThan(3);
    expect(typed(warmed)).toEqual(typed(index));
    expect(search("zhutidangri").didYouMean).toBe("主题党日");
  });

  it("a request that needs the suggestions while they are being built finishes the build", async () => {
    const warmed = await buildSearchIndex(readerArticles());
    const warming = warmed.warmSuggestions(0);
    expect(typed(warmed)).toEqual(typed(index));
    await warming;
    expect(typed(warmed)).toEqual(typed(index));
  });

  it("a build that fails rejects the warming (nothing thrown from a timer), and a later request builds again", async () => {
    const warmed = await buildSearchIndex(readerArticles());
    // Without titles the build fails at its title step, after a few yields: inside a setImmediate callback.
    const inside = warmed as unknown as { titleStart: Uint32Array | null };
    const titles = inside.titleStart;
    inside.titleStart = null;
    await expect(warmed.warmSuggestions(0)).rejects.toThrow(TypeError);
    inside.titleStart = titles;
    expect(typed(warmed)).toEqual(typed(index));
  });

  it("normalises texts in slices, one article at least in each", async () => {
    const warmed = await buildSearchIndex(readerArticles());
    let done = false;
    const warming = warmed.warmTexts(1000, 0).then(() => (done = true));
    let turns = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      turns++;
    }
    await warming;
    expect(turns).toBeGreaterThanOrEqual(warmed.articles.length - 1);
  });
});

describe("did you mean", () => {
  it("proposes the word a homophone typo meant", () => {
    const r = search("红色教育鸡地");
    expect(r.total).toBe(0);
    expect(r.didYouMean).toBe("红色教育基地");
  });

  it("proposes the Chinese word for typed pinyin", () => {
    expect(search("zhutidangri").didYouMean).toBe("主题党日");
    expect(search("ztdr").didYouMean).toBe("主题党日");
  });

  it("proposes nothing when the query finds enough", () => {
    expect(search("红色教育基地").didYouMean).toBeNull();
  });
});
