import { beforeAll, describe, expect, it } from "vitest";
import { finishArticle } from "@/lib/content/ingest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchRequest, SearchResponse } from "@/lib/search/engine/types";
import { normalize } from "@/lib/text/normalize";
import { indexWords } from "@/lib/text/segment";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { buildSearchIndex } from "@/lib/search/build/in-memory";

let index: SearchIndex;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 100 };
const search = (over: Partial<SearchRequest>): SearchResponse => index.search({ ...base, ...over });
const ids = (over: Partial<SearchRequest>) => search(over).hits.map((h) => h.id);
const idSet = (over: Partial<SearchRequest>) => new Set(ids(over));

beforeAll(async () => {
  index = await buildSearchIndex(searchFixtureArticles());
});

describe("recall guarantee", () => {
  it("finds every article for every substring of its normalised text (lengths 1–6)", () => {
    const failures: string[] = [];
    for (const a of searchFixtureArticles()) {
      const text = index.normalizedText(a.id)!;
      for (const line of text.split("\n")) {
        for (let len = 1; len <= 6; len++) {
          for (let i = 0; i + len <= line.length; i += len === 1 ? 1 : 2) {
            const sub = line.slice(i, i + len);
            // Substrings with spaces, quotes, operators or only punctuation are not a single literal query.
            if (/[\s"“”「」『』|｜-]/u.test(sub) || !/[\p{L}\p{N}]/u.test(sub)) continue;
            const found = ids({ q: `"${sub}"` });
            if (!found.includes(a.id)) failures.push(`${a.id}: "${sub}"`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("finds a word inside a longer word: 灯 in 大灯, 组织 in 党组织, 马克 in 马克思", () => {
    expect(ids({ q: "灯" })).toContain("lamp-repair");
    expect(ids({ q: "组织" })).toContain("simp-branch");
    expect(idSet({ q: "马克" })).toEqual(new Set(["marx-reading", "mark-visit"]));
  });

  it("finds a query that crosses a jieba word boundary: 建工 in 党建/工作", () => {
    expect(idSet({ q: "建工" })).toEqual(new Set(["trad-branch", "simp-branch"]));
  });

  it("returns only articles that contain every ANDed word (precision)", () => {
    for (const q of ["党建 社区", "党建工作创新", "志愿者 老人", "马克 饺子", "全面 从严"]) {
      const res = search({ q });
      for (const hit of res.hits) {
        const text = index.normalizedText(hit.id)!;
        for (const w of res.query.words) expect(text, `${q} → ${hit.id}`).toContain(w);
      }
    }
  });
});

describe("long terms (three characters or more)", () => {
  // Their candidates come from the n-gram layer's pairs; a document holds one when jieba made it a word there (the
  // word layer), else when its text holds it. Both ways must give exactly the articles whose text holds the term.
  const holders = (term: string, among: (id: string) => boolean = () => true) =>
    new Set(searchFixtureArticles().map((a) => a.id).filter((id) => among(id) && index.normalizedText(id)!.includes(term)));
  const terms = () => {
    const out = new Set<string>();
    for (const a of searchFixtureArticles()) {
      const text = index.normalizedText(a.id)!;
      for (const w of indexWords(text)) if (w.length >= 3 && !/[\s"“”「」『』|｜-]/u.test(w)) out.add(w);
      // Pieces that cross word boundaries, and so are no article's word.
      for (let i = 0; i + 4 <= text.length; i += 7) {
        const piece = text.slice(i, i + 3 + (i % 2));
        if (/^[\p{Script=Han}]+$/u.test(piece)) out.add(piece);
      }
    }
    return [...out];
  };

  it("finds exactly the articles whose text holds the term, as a word of theirs or not", () => {
    const list = terms();
    expect(list.length).toBeGreaterThan(50);
    for (const t of list) expect(idSet({ q: `"${t}"` }), t).toEqual(holders(t));
  });

  it("tells a term's characters side by side from the same characters apart, before and after articles holding it", async () => {
    // 班主 and 主任 apart (班主要, 主任) in two articles, 班主任 as a word in two others, in between; in the last
    // one jieba reads 班主/任务, so only its text tells.
    const texts = ["这个班主要由新生组成，年级主任每周都来听课。", "班主任老师组织家长会。", "三班主动报名，教导主任表示支持。", "新来的班主任很年轻。", "每个班主任务繁重。"];
    const small = await buildSearchIndex(
      texts.map((t, i) => finishArticle({ title: `第${i + 1}篇`, authors: [], source: "测试", date: `2024-01-0${i + 1}`, paragraphs: [t] }, `test/class-${i}`, `class-${i}`)),
    );
    const found = (q: string) => new Set(small.search({ ...base, q }).hits.map((h) => h.id));
    expect(found('"班主任"')).toEqual(new Set(["class-1", "class-3", "class-4"]));
    expect(found("主任 -班主任")).toEqual(new Set(["class-0", "class-2"]));
    expect(found('"班主任"  OR 主动报名')).toEqual(new Set(["class-1", "class-2", "class-3", "class-4"]));
  });

  it("excludes exactly the articles whose text holds the term, and filters before or after reading alike", () => {
    const recent = idSet({ q: "", from: "2020-01-01" });
    expect(recent.size).toBeGreaterThan(2);
    let filteredFound = 0;
    for (const t of terms()) {
      expect(idSet({ q: `党 -"${t}"` }), t).toEqual(new Set([...holders("党")].filter((id) => !holders(t).has(id))));
      const filtered = idSet({ q: `"${t}"`, from: "2020-01-01" });
      expect(filtered, t).toEqual(holders(t, (id) => recent.has(id)));
      filteredFound += filtered.size;
    }
    expect(filteredFound).toBeGreaterThan(20);
  });
});

describe("query language", () => {
  it("ANDs words separated by spaces", () => {
    expect(idSet({ q: "志愿者 老人" })).toEqual(new Set(["trad-branch", "lamp-repair"]));
  });

  it("matches an exact phrase only where it occurs literally", () => {
    expect(idSet({ q: '"全面从严治党"' })).toEqual(new Set(["clean-governance"]));
    // The words alone are all in scattered-words too.
    expect(idSet({ q: "全面 从严 治党" })).toEqual(new Set(["clean-governance"]));
    expect(ids({ q: "全面 从严" })).toEqual(expect.arrayContaining(["clean-governance", "scattered-words"]));
  });

  it("excludes articles with -word", () => {
    expect(idSet({ q: "乡村振兴 -茶" })).toEqual(new Set());
    expect(idSet({ q: "驻村 -茶产业" })).toEqual(new Set(["poverty"]));
  });

  it("matches either side of | and OR", () => {
    const either = new Set(["rural-revitalization", "poverty"]);
    expect(idSet({ q: "茶产业 | 贫困" })).toEqual(either);
    expect(idSet({ q: "茶产业 OR 贫困" })).toEqual(either);
  });

  it("answers a Traditional query exactly like its Simplified form, and the reverse", () => {
    for (const [t, s] of [["黨建", "党建"], ["黨組織", "党组织"], ["志願者", "志愿者"], ["「全面從嚴治黨」", "“全面从严治党”"], ["駐村 -茶產業", "驻村 -茶产业"]]) {
      expect(ids({ q: t }), t).toEqual(ids({ q: s }));
      // Not vacuous: each pair finds articles.
      expect(ids({ q: s }).length, s).toBeGreaterThan(0);
    }
    expect(idSet({ q: "黨建" })).toEqual(new Set(["trad-branch", "simp-branch", "fullwidth"]));
  });

  it("matches full-width and half-width alike", () => {
    expect(ids({ q: "AI" })).toEqual(["fullwidth"]);
    expect(ids({ q: "ａｉ 2023" })).toEqual(["fullwidth"]);
    expect(ids({ q: "30%" })).toEqual(["fullwidth"]);
  });

  it("shows how the query was read", () => {
    expect(search({ q: '黨建工作 "從嚴治黨" -茶' }).query).toEqual({ normalized: '党建工作 "从严治党" -茶', words: ["党建工作"], phrases: ["从严治党"], excluded: ["茶"], expanded: [{ term: "党建", synonyms: ["党的建设"] }], fields: [], near: [] });
  });
});

describe("filters and facets", () => {
  it("filters by author in either script, several values meaning either", () => {
    expect(idSet({ authors: ["陳志明"] })).toEqual(new Set(["trad-branch", "simp-branch"]));
    expect(idSet({ authors: ["陈志明"] })).toEqual(new Set(["trad-branch", "simp-branch"]));
    expect(idSet({ authors: ["陈志明", "周敏"] })).toEqual(new Set(["trad-branch", "simp-branch", "lamp-repair"]));
  });

  it("filters by source", () => {
    expect(idSet({ sources: ["乡村振兴观察"] })).toEqual(new Set(["rural-revitalization", "poverty"]));
  });

  it("filters by an inclusive date range and leaves undated articles out", () => {
    expect(idSet({ from: "2018-11-06", to: "2020-01-15" })).toEqual(new Set(["mark-visit", "trad-branch", "lamp-repair"]));
    expect(ids({ from: "2000-01-01" })).not.toContain("undated-note");
  });

  it("a date range holds exactly the articles whose dates fall within it, at every edge", () => {
    const articles = searchFixtureArticles();
    const dates = [...new Set(articles.map((a) => a.date).filter((d): d is string => !!d))].sort();
    // Each article's own date, the day before and after it, and bounds before and after every date.
    const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const bounds = [null, "1900-01-01", "2999-12-31", ...dates.flatMap((d) => [d, shift(d, -1), shift(d, 1)])];
    let checked = 0;
    for (const from of bounds) {
      for (const to of bounds) {
        const expected = new Set(articles.filter((a) => (!from && !to) || (!!a.date && (!from || a.date >= from) && (!to || a.date <= to))).map((a) => a.id));
        expect(idSet({ from, to }), `${from} – ${to}`).toEqual(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("combines query and filters", () => {
    expect(idSet({ q: "党建", from: "2020-01-01", to: "2022-12-31" })).toEqual(new Set(["simp-branch"]));
  });

  it("counts facets over the whole result set, not just the page", () => {
    const res = search({ q: "党", size: 1 });
    expect(res.hits.length).toBe(1);
    const total = res.facets.years.reduce((n, y) => n + y.count, 0);
    const undated = res.total - total;
    expect(undated).toBe(1);
    expect(res.facets.authors.find((a) => a.value === "陈志明" || a.value === "陳志明")?.count).toBe(2);
    expect(res.facets.sources.find((s) => s.value === "机关党建通讯")?.count).toBe(2);
  });

  it("lists all articles newest first for an empty query", () => {
    const res = search({});
    expect(res.total).toBe(searchFixtureArticles().length);
    expect(res.hits[0].id).toBe("rural-revitalization");
    expect(res.hits.at(-1)!.id).toBe("undated-note");
  });
});

describe("sorting and paging", () => {
  it("sorts newest first and oldest first, undated last in both", () => {
    const newest = ids({ q: "党", sort: "newest" });
    const oldest = ids({ q: "党", sort: "oldest" });
    const dates = (list: string[]) => list.map((id) => index.get(id)!.date);
    const d = dates(newest).filter(Boolean) as string[];
    expect(d).toEqual([...d].sort().reverse());
    expect(dates(oldest).filter(Boolean)).toEqual([...d].sort());
    expect(newest.at(-1)).toBe("undated-note");
    expect(oldest.at(-1)).toBe("undated-note");
  });

  it("pages through results without gaps or repeats", () => {
    const all = ids({ q: "党", sort: "newest" });
    const pages = [1, 2, 3, 4].flatMap((page) => ids({ q: "党", sort: "newest", page, size: 3 }));
    expect(pages).toEqual(all);
    expect(search({ q: "党", page: 99, size: 3 }).hits).toEqual([]);
  });
});

describe("ranking", () => {
  it("puts title matches above body matches", () => {
    expect(ids({ q: "志愿者" })[0]).toBe("mark-visit");
  });

  it("puts an exact phrase occurrence above scattered words", () => {
    expect(ids({ q: "全面从严治党" })[0]).toBe("clean-governance");
  });

  it("puts the article whose title contains the query first", () => {
    expect(ids({ q: "经典著作读书会" })[0]).toBe("marx-reading");
    expect(ids({ q: "楼道大灯" })[0]).toBe("lamp-repair");
  });

  it("ranks the whole word above a part of a longer word", () => {
    // 马克 is a word in mark-visit's body and title; inside 马克思 in marx-reading.
    expect(ids({ q: "马克" })[0]).toBe("mark-visit");
  });

  it("weighs several occurrences above one", async () => {
    const body = (times: number) => ["支部召开会议，研究部署本年度工作。", ...Array.from({ length: 3 }, (_, k) => (k < times ? "会议强调全面从严治党。" : "会议强调改进工作作风。"))];
    const pair = await buildSearchIndex([
      finishArticle({ title: "支部会议纪要", authors: [], source: null, date: "2024-01-01", paragraphs: body(1) }, "once.md", "once"),
      finishArticle({ title: "支部会议纪要", authors: [], source: null, date: "2020-01-01", paragraphs: body(3) }, "thrice.md", "thrice"),
    ]);
    const res = pair.search({ q: "全面从严治党", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10, group: false });
    expect(res.hits.map((h) => h.id)).toEqual(["thrice", "once"]);
    expect(res.hits[0].score!).toBeGreaterThan(res.hits[1].score!);
  });

  it("uses recency only to break ties", async () => {
    const same = { title: "支部学习会", authors: [], source: null, paragraphs: ["支部开展学习。"] };
    const twins = await buildSearchIndex([
      finishArticle({ ...same, date: "2019-01-01" }, "old.md", "old"),
      finishArticle({ ...same, date: "2024-01-01" }, "new.md", "new"),
      finishArticle({ ...same, paragraphs: ["支部开展学习，学习党章，学习党史。"], date: "2010-01-01" }, "more.md", "more"),
    ]);
    const res = twins.search({ ...base, q: "学习" });
    expect(res.hits.map((h) => h.id)).toEqual(["more", "new", "old"]);
    expect(res.hits[1].score).toBe(res.hits[2].score);
  });

  it("puts the shorter title holding the whole query first, whatever the dates", async () => {
    // Same body, the phrase once in each title: only the title-fragment bonus (longer for a shorter title) separates
    // them; without it they tie and the newer, long-titled one would come first.
    const body = { authors: [], source: null, paragraphs: ["社区开展活动。"] };
    const titles = await buildSearchIndex([
      finishArticle({ ...body, title: "楼道大灯维修", date: "2019-01-01" }, "short.md", "short"),
      finishArticle({ ...body, title: "楼道大灯维修以后社区志愿服务队的回访记录", date: "2024-01-01" }, "long.md", "long"),
    ]);
    const res = titles.search({ ...base, q: '"大灯维修"' });
    expect(res.hits.map((h) => h.id)).toEqual(["short", "long"]);
    expect(res.hits[0].score!).toBeGreaterThan(res.hits[1].score!);
  });

  it("scores the same whatever order the words are typed in", () => {
    // A one-character word after a longer one must not take the longer word's whole-word marks.
    for (const [a, b] of [["志愿者", "灯"], ["党建", "党"], ["马克", "包"], ["社区", "老"]]) {
      const ab = search({ q: `${a} ${b}` }).hits;
      const ba = search({ q: `${b} ${a}` }).hits;
      expect(ab.map((h) => h.id), `${a} ${b}`).toEqual(ba.map((h) => h.id));
      ab.forEach((h, i) => expect(h.score!, `${a} ${b}: ${h.id}`).toBeCloseTo(ba[i].score!, 9));
    }
  });
});

describe("highlights", () => {
  it("marks matches in the article's own script, with parts that rebuild the original", () => {
    const hit = search({ q: "党建" }).hits.find((h) => h.id === "trad-branch")!;
    expect(hit.titleParts.map((p) => p.text).join("")).toBe(hit.title);
    expect(hit.titleParts.filter((p) => p.match).map((p) => p.text)).toEqual(["黨建"]);
    for (const s of hit.snippets) expect(s.filter((p) => p.match).every((p) => normalize(p.text) === "党建")).toBe(true);
  });

  it("marks the longest whole match: 马克思, not 马克 inside it, when both are searched", () => {
    const article = index.get("marx-reading", "马克 马克思")!;
    expect(article.titleParts!.filter((p) => p.match).map((p) => p.text)).toEqual(["马克思"]);
  });

  it("marks every occurrence in the reading view", () => {
    const article = index.get("clean-governance", "全面从严治党")!;
    const marks = article.paragraphs!.flat().filter((p) => p.match);
    expect(marks.map((p) => p.text)).toEqual(["全面从严治党", "全面从严治党", "全面从严治党"]);
    article.paragraphs!.forEach((parts, i) => expect(parts.map((p) => p.text).join("")).toBe(article.body.split("\n")[i]));
  });

  it("returns no highlights without a query", () => {
    const article = index.get("clean-governance")!;
    expect(article.titleParts).toBeUndefined();
    expect(index.get("nope")).toBeNull();
  });

  it("keeps markup in text as text", () => {
    const hit = search({ q: "安全测试" }).hits[0];
    expect(hit.titleParts.map((p) => p.text).join("")).toBe("<script>alert(1)</script>安全测试文章");
  });
});

describe("robustness", () => {
  it("answers any query string without throwing", () => {
    const nasty = ['"', '""', "-", "--", "|", "||", "OR", "- -", '"unclosed', "\u0000", "\ud800", "𠀋", "🙂", "a".repeat(500), "()", "[*]", "\\", "%", "党\n建", "-\"\""];
    for (const q of nasty) expect(() => search({ q }), JSON.stringify(q)).not.toThrow();
  });
});

describe("answers kept and arrays reused between searches", () => {
  const strip = (r: SearchResponse) => ({ ...r, tookMs: 0 });
  const fresh = (over: Partial<SearchRequest>) => strip(index.searchWithDocs({ ...base, ...over }).response);

  it("a repeated request gets the same page, and every request field is part of what is kept", () => {
    const requests: Array<Partial<SearchRequest>> = [
      { q: "党建" },
      { q: "党建", page: 2, size: 3 },
      { q: "党建", size: 3 },
      { q: "党建", sort: "newest" },
      { q: "党建", sort: "oldest" },
      { q: "党建", group: false },
      { q: "党建", authors: ["周明"] },
      { q: "党建", sources: ["支部工作简报"] },
      { q: "党建", from: "2020-01-01" },
      { q: "党建", to: "2020-01-01" },
      { q: "黨建" },
    ];
    // Twice over: the second round answers from what the first kept.
    for (let round = 0; round < 2; round++) for (const r of requests) expect(strip(search(r)), JSON.stringify(r)).toEqual(fresh(r));
  });

  it("scores exactly alike whether title counts come from the titles' index (a warmed index) or from scanning titles", async () => {
    const scanned = await buildSearchIndex(searchFixtureArticles());
    const warmed = await buildSearchIndex(searchFixtureArticles());
    await warmed.warmTexts(1000, 4, 0); // with the titles' index whatever the library's size
    // Single characters, pairs, a known title, ASCII of three and four units, long terms, ORs, synonyms, an exclusion.
    const titles = searchFixtureArticles().slice(0, 6).map((a) => a.title.slice(0, 4));
    const queries = ["党", "的", "学习", "党员 学习", "马克", "茶产业 | 贫困", "2020", "com", '"全面从严治党"', "组织 建设 -党", "二十大", ...titles];
    for (const q of queries) {
      const a = strip(scanned.searchWithDocs({ ...base, q, size: 50 }).response);
      expect(strip(warmed.searchWithDocs({ ...base, q, size: 50 }).response), q).toEqual(a);
    }
  });

  it("a search after other searches scores exactly as one on a fresh index", async () => {
    const queries = ["茶产业 | 贫困", "灯", "党员 学习", '"全面从严治党"', "马克", "党", "", "组织 建设"];
    const first = queries.map((q) => fresh({ q, size: 20 }));
    const other = await buildSearchIndex(searchFixtureArticles());
    // Reversed order on this index, each query once on the other: any score left over from an earlier search shows.
    for (const q of [...queries].reverse()) index.searchWithDocs({ ...base, q, size: 20 });
    queries.forEach((q, i) => {
      expect(fresh({ q, size: 20 }), q).toEqual(first[i]);
      expect(strip(other.searchWithDocs({ ...base, q, size: 20 }).response), q).toEqual(first[i]);
    });
  });
});
