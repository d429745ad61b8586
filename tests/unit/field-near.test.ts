// Field search and NEAR against a plain scan of a generated library (both
// scripts, titles only, authors, sources, 文号, exclusions; distances n−1, n,
// n+1; sentence and paragraph edges), and their highlights.
import { beforeAll, describe, expect, it } from "vitest";
import { finishArticle } from "@/lib/content/ingest";
import { buildSearchIndex } from "@/lib/search/build/in-memory";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchRequest } from "@/lib/search/engine/types";
import { AUTHORS, fieldHolds, nearHolds, scanned, SOURCES, WORDS, workbenchArticles, type Scanned } from "@/testkit/workbench-library";
import { seededRandom } from "@/testkit/search-quality";

const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 100, group: false };
let index: SearchIndex;
let library: Scanned[];
const found = (q: string) => new Set(index.searchIds({ ...base, q }));
const expected = (keep: (a: Scanned) => boolean) => new Set(library.filter(keep).map((a) => a.id));

/** Articles written to sit exactly at a distance, or across a sentence or paragraph edge. */
const placed = [
  { id: "gap-3", title: "距离测试一", paragraphs: ["前言。党建甲乙丙创新结尾。"] },
  { id: "gap-3-reversed", title: "距离测试二", paragraphs: ["創新甲乙丙黨建。"] },
  { id: "same-sentence", title: "句子测试一", paragraphs: ["我们推进党建，也推动改革创新。下一句。"] },
  { id: "next-sentence", title: "句子测试二", paragraphs: ["我们推进党建。然后推动改革创新。"] },
  { id: "next-paragraph", title: "段落测试", paragraphs: ["推进党建的工作", "推动改革的创新"] },
  { id: "title-only", title: "紀律建設專題", paragraphs: ["正文里没有那两个字。"] },
  { id: "body-only", title: "专题", paragraphs: ["正文讲纪律建设。"] },
  { id: "chain", title: "链条测试", paragraphs: ["甲党建乙创新丙。振兴在后"] },
  // Counted, not read: the n-gram layer's count (title and body) against the title's; over 255 it is read.
  { id: "counted-title-twice", title: "作风作风建设", paragraphs: ["正文有一次作风。"] },
  { id: "counted-title-only", title: "作风建设年", paragraphs: ["正文没有那两个字。"] },
  { id: "counted-many", title: "作风", paragraphs: ["作风".repeat(300)] },
].map((d) => finishArticle({ ...d, authors: ["测试者"], source: "测试来源", date: "2020-01-01" }, `placed/${d.id}`, d.id));

beforeAll(async () => {
  const articles = [...workbenchArticles(400), ...placed];
  index = await buildSearchIndex(articles);
  library = articles.map(scanned);
});

describe("field search against a scan", () => {
  it("each field finds exactly the articles whose field holds the term, in either script", () => {
    const cases: Array<[string, "title" | "body" | "author" | "source" | "docNumber", string]> = [];
    for (const [simp, trad] of WORDS) cases.push([`标题:${simp}`, "title", simp], [`title:${trad}`, "title", simp], [`正文:${trad}`, "body", simp], [`Body:"${simp}"`, "body", simp]);
    for (const name of AUTHORS) cases.push([`作者:${name}`, "author", name], [`author:${name.slice(0, 1)}`, "author", name.slice(0, 1)]);
    for (const s of SOURCES) cases.push([`来源:${s}`, "source", s], [`source：${s.slice(0, 2)}`, "source", s.slice(0, 2)]);
    cases.push(["文号:示组发", "docNumber", "示组发"], ["文号:〔2019〕", "docNumber", "[2019]"], ["文号:示組發[2020]", "docNumber", "示组发[2020]"]);
    for (const [q, field, term] of cases) expect(found(q), q).toEqual(expected((a) => fieldHolds(a, field, term)));
  });

  it("fields combine with words, phrases, exclusion and OR", () => {
    const r = seededRandom(7);
    for (let k = 0; k < 60; k++) {
      const [w1, w2, w3] = [0, 1, 2].map(() => WORDS[r(WORDS.length)][0]);
      const author = AUTHORS[r(AUTHORS.length)];
      const checks: Array<[string, (a: Scanned) => boolean]> = [
        [`标题:"${w1}" 作者:${author} -正文:${w2}`, (a) => fieldHolds(a, "title", w1) && fieldHolds(a, "author", author) && !fieldHolds(a, "body", w2)],
        [`标题:${w1} | 正文:${w2} ${w3}`, (a) => (fieldHolds(a, "title", w1) || fieldHolds(a, "body", w2)) && (a.title + a.body).includes(w3)],
        [`${w1} -标题:${w2} -作者:${author}`, (a) => (a.title + a.body).includes(w1) && !fieldHolds(a, "title", w2) && !fieldHolds(a, "author", author)],
      ];
      for (const [q, keep] of checks) expect(found(q), q).toEqual(expected(keep));
    }
  });

  it("a title search does not find a body match, nor a body search a title match", () => {
    expect(found("标题:纪律建设")).toEqual(new Set(["title-only"]));
    expect(found("正文:纪律建设")).toEqual(new Set(["body-only"]));
    expect(found("纪律建设")).toEqual(new Set(["title-only", "body-only"]));
  });

  it("a short term's body matches come from counts (title twice and body once; title only; over 255 in the body)", () => {
    const body = found("正文:作风");
    expect(body.has("counted-title-twice")).toBe(true);
    expect(body.has("counted-title-only")).toBe(false);
    expect(body.has("counted-many")).toBe(true);
    expect(found("-正文:作风 作风建设").has("counted-title-only")).toBe(true);
    expect(found("-正文:作风 作风建设").has("counted-title-twice")).toBe(false);
  });

  it("highlights mark only the field searched", () => {
    const hit = index.search({ ...base, q: "标题:紀律" }).hits.find((h) => h.id === "title-only")!;
    expect(hit.titleParts.filter((p) => p.match).map((p) => p.text)).toEqual(["紀律"]);
    const body = index.search({ ...base, q: "正文:纪律建设" }).hits.find((h) => h.id === "body-only")!;
    expect(body.titleParts.some((p) => p.match)).toBe(false);
    expect(body.snippets.flat().filter((p) => p.match).map((p) => p.text)).toEqual(["纪律建设"]);
    const view = index.get("title-only", "标题:纪律 作者:测试者")!;
    expect(view.paragraphs!.flat().some((p) => p.match)).toBe(false);
  });

  it("the query reading lists each field's terms", () => {
    const q = index.search({ ...base, q: '标题:"全面从严治党" 作者:张三 -正文:通知' }).query;
    expect(q.fields).toEqual([
      { field: "title", terms: ["全面从严治党"], excluded: false },
      { field: "author", terms: ["张三"], excluded: false },
      { field: "body", terms: ["通知"], excluded: true },
    ]);
    expect(q.words).toEqual([]);
  });
});

describe("NEAR against a scan", () => {
  it("NEAR/n at n−1, n and n+1 characters, either order, either script", () => {
    expect(found("党建 NEAR/2 创新").has("gap-3")).toBe(false);
    expect(found("党建 NEAR/3 创新").has("gap-3")).toBe(true);
    expect(found("党建 NEAR/4 创新").has("gap-3")).toBe(true);
    expect(found("黨建 NEAR/3 創新").has("gap-3-reversed")).toBe(true);
    expect(found("创新 NEAR/2 党建").has("gap-3-reversed")).toBe(false);
  });

  it("NEAR/s stops at 。！？； and line ends; NEAR/p at paragraph ends", () => {
    const s = found("党建 NEAR/s 创新");
    expect(s.has("same-sentence")).toBe(true);
    expect(s.has("next-sentence")).toBe(false);
    expect(s.has("next-paragraph")).toBe(false);
    const p = found("党建 NEAR/p 创新");
    expect(p.has("next-sentence")).toBe(true);
    expect(p.has("next-paragraph")).toBe(false);
  });

  it("random NEAR queries find exactly what the scan finds", () => {
    const r = seededRandom(11);
    const withins: Array<number | "sentence" | "paragraph"> = [0, 1, 2, 3, 5, 8, 13, "sentence", "paragraph"];
    for (let k = 0; k < 150; k++) {
      // One pair in five the same word twice.
      const a = WORDS[r(WORDS.length)];
      const b = k % 5 === 0 ? a : WORDS[r(WORDS.length)];
      const within = withins[r(withins.length)];
      const op = within === "sentence" ? "NEAR/s" : within === "paragraph" ? "NEAR/p" : `NEAR/${within}`;
      const q = `${a[r(2)]} ${op} ${b[r(2)]}`;
      expect(found(q), q).toEqual(expected((x) => nearHolds(x, a[0], b[0], within)));
    }
  });

  it("highlights both ends, and the reading says NEAR", () => {
    const r = index.search({ ...base, q: "党建 NEAR/3 创新" });
    const hit = r.hits.find((h) => h.id === "gap-3")!;
    expect(hit.snippets.flat().filter((p) => p.match).map((p) => p.text)).toEqual(["党建", "创新"]);
    expect(r.query.near).toEqual([{ terms: ["党建", "创新"], within: [3], field: null }]);
  });

  it("NEAR chains: each operand near the next, every link its own kind", () => {
    expect(found("党建 NEAR/1 创新 NEAR/p 振兴").has("chain")).toBe(true);
    expect(found("党建 NEAR/1 创新 NEAR/s 振兴").has("chain")).toBe(false);
    expect(found("党建 NEAR/0 创新 NEAR/p 振兴").has("chain")).toBe(false);
    expect(found("振兴 NEAR/p 创新 NEAR/1 党建").has("chain")).toBe(true);
    expect(found("标题:链条 NEAR/0 测试").has("chain")).toBe(true);
    expect(found("正文:链条 NEAR/0 测试").has("chain")).toBe(false);
  });

  it("the same term twice needs two occurrences near each other", () => {
    expect(found("党建 NEAR/20 党建").has("gap-3")).toBe(false);
    expect(found("作风 NEAR/0 作风").has("counted-title-twice")).toBe(true);
    expect(found("作风 NEAR/s 作风").has("counted-title-only")).toBe(false);
    expect(found("作风 NEAR/p 作风").has("counted-many")).toBe(true);
  });

  it("a NEAR without a term on one side is read as the plain terms", () => {
    expect(found("NEAR/5 党建")).toEqual(found("党建"));
    expect(found("党建 NEAR/5")).toEqual(found("党建"));
  });
});
