// 素材夹 state (pure functions over what localStorage keeps), its Markdown
// and Word exports read back, and the advanced form's composed queries.
import { describe, expect, it } from "vitest";
import { Packer } from "docx";
import mammoth from "mammoth";
import { addExcerpt, collectionMarkdown, createCollection, deleteCollection, emptyStore, moveExcerpt, parseStore, removeExcerpt, renameCollection, setActive, setNote, type CollectionStore } from "@/lib/search/client/collections";
import { collectionDocument } from "@/lib/search/client/collection-docx";
import { advancedHref, composeQuery, EMPTY_FORM } from "@/lib/search/client/advanced";
import { describeQuery, parseQuery } from "@/lib/search/query/parse";

const excerpt = (paragraph: number | null, text: string) => ({
  articleId: "a1",
  title: "以党建创新推动基层治理",
  author: "王建国",
  source: "基层党建网",
  date: "2023-12-01",
  paragraph,
  text,
  citation: "王建国. 以党建创新推动基层治理[EB/OL]. (2023-12-01)[2026-12-06]. https://dj.example/articles/a1.",
  link: `https://dj.example/articles/a1${paragraph ? `#p${paragraph}` : ""}`,
});

function twoExcerpts(): CollectionStore {
  return addExcerpt(addExcerpt(emptyStore(), excerpt(1, "第一段：党建引领。")), excerpt(3, "第三段：*星号*和[方括号]。"));
}

describe("collections", () => {
  it("adds to the active collection, moves, annotates, removes", () => {
    let s = twoExcerpts();
    const c = s.collections[0];
    expect(c.items.map((e) => e.paragraph)).toEqual([1, 3]);
    s = moveExcerpt(s, c.id, c.items[0].id, 1);
    expect(s.collections[0].items.map((e) => e.paragraph)).toEqual([3, 1]);
    expect(moveExcerpt(s, c.id, s.collections[0].items[0].id, -1)).toEqual(s);
    s = setNote(s, c.id, s.collections[0].items[0].id, "用于报告");
    expect(s.collections[0].items[0].note).toBe("用于报告");
    s = removeExcerpt(s, c.id, s.collections[0].items[1].id);
    expect(s.collections[0].items).toHaveLength(1);
  });

  it("keeps several collections; new excerpts go to the active one; the last one deleted leaves an empty one", () => {
    let s = createCollection(twoExcerpts(), "述职报告");
    expect(s.collections).toHaveLength(2);
    s = addExcerpt(s, excerpt(null, "全文"));
    expect(s.collections[1].items.map((e) => e.paragraph)).toEqual([null]);
    s = renameCollection(s, s.collections[1].id, "  ");
    expect(s.collections[1].name).toBe("述职报告");
    s = setActive(s, s.collections[0].id);
    s = deleteCollection(s, s.collections[0].id);
    expect(s.collections.map((c) => c.name)).toEqual(["述职报告"]);
    expect(s.active).toBe(s.collections[0].id);
    s = deleteCollection(s, s.collections[0].id);
    expect(s.collections).toHaveLength(1);
    expect(s.collections[0].items).toEqual([]);
  });

  it("reads back what it saved; damaged or foreign storage is an empty store, never an error", () => {
    const s = twoExcerpts();
    expect(parseStore(JSON.stringify(s))).toEqual(s);
    for (const bad of [null, "", "{", "[]", '{"version":2}', '{"version":1,"collections":[]}', '{"version":1,"collections":[{"id":1}]}']) {
      const parsed = parseStore(bad);
      expect(parsed.collections).toHaveLength(1);
      expect(parsed.collections[0].items).toEqual([]);
    }
  });

  it("Markdown: each excerpt quoted with its note, numbered citation and link; Markdown's own characters escaped", () => {
    let s = twoExcerpts();
    s = setNote(s, s.collections[0].id, s.collections[0].items[0].id, "批注一");
    const md = collectionMarkdown(s.collections[0]);
    expect(md).toContain("# 我的素材\n");
    expect(md).toContain("> 第一段：党建引领。\n\n批注：批注一\n\n出处：[1] 王建国. 以党建创新推动基层治理\\[EB/OL\\]");
    expect(md).toContain("> 第三段：\\*星号\\*和\\[方括号\\]。");
    expect(md).toContain("链接：<https://dj.example/articles/a1#p3>");
  });

  it("Word: read back by mammoth, the excerpts in order, each followed by its citation and link", async () => {
    const s = twoExcerpts();
    const buffer = await Packer.toBuffer(collectionDocument(s.collections[0], new Date("2026-12-06T00:00:00Z")));
    const { value } = await mammoth.extractRawText({ buffer });
    const lines = value.split("\n").filter(Boolean);
    expect(lines[0]).toBe("我的素材");
    expect(lines).toContain("第一段：党建引领。");
    expect(lines.indexOf("第一段：党建引领。")).toBeLessThan(lines.indexOf("第三段：*星号*和[方括号]。"));
    expect(lines).toContain(`出处：[1] ${excerpt(1, "").citation}`);
    expect(lines).toContain(`出处：[2] ${excerpt(3, "").citation}`);
    expect(lines).toContain("链接：https://dj.example/articles/a1#p3");
  });
});

describe("the advanced form's query", () => {
  it("writes each part in the query language, and the parser reads back what the form said", () => {
    const f = { ...EMPTY_FORM, all: "党建 创新", exact: "全面从严治党", any: "乡村振兴、脱贫攻坚", none: "通知 OR", where: "title" as const, author: "张 三", source: "人民日报" };
    const q = composeQuery(f);
    expect(q).toBe('标题:党建 标题:创新 标题:"全面从严治党" 标题:乡村振兴 | 标题:脱贫攻坚 -标题:通知 -标题:"OR" 作者:"张 三" 来源:人民日报');
    const read = describeQuery(parseQuery(q));
    expect(read.fields).toEqual([
      { field: "title", terms: ["党建"], excluded: false },
      { field: "title", terms: ["创新"], excluded: false },
      { field: "title", terms: ["全面从严治党"], excluded: false },
      { field: "title", terms: ["乡村振兴"], excluded: false },
      { field: "title", terms: ["脱贫攻坚"], excluded: false },
      { field: "author", terms: ["张 三"], excluded: false },
      { field: "source", terms: ["人民日报"], excluded: false },
      { field: "title", terms: ["通知"], excluded: true },
      { field: "title", terms: ["or"], excluded: true },
    ]);
    expect(parseQuery(q).clauses.map((c) => c.length)).toEqual([1, 1, 1, 2, 1, 1]);
  });

  it("a field name or operator typed as a word stays a word", () => {
    expect(composeQuery({ ...EMPTY_FORM, all: "标题:党建 -学习 NEAR/5" })).toBe('"标题:党建" "-学习" "NEAR/5"');
  });

  it("leads to the search page with the 文种 and dates as parameters", () => {
    expect(advancedHref({ ...EMPTY_FORM, all: "党建", docType: "通知", from: "2020", to: "2021-06" })).toBe(`/?q=${encodeURIComponent("党建")}&docType=${encodeURIComponent("通知")}&from=2020&to=2021-06`);
    expect(advancedHref(EMPTY_FORM)).toBe("/");
  });
});
