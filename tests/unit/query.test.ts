import { describe, expect, it } from "vitest";
import { describeQuery, parseQuery, positiveTerms } from "@/lib/search/query";

describe("parseQuery", () => {
  it("ANDs space-separated words", () => {
    const q = parseQuery("党建 创新");
    expect(q.clauses).toEqual([[{ words: ["党建"], phrases: [], chunks: [] }], [{ words: ["创新"], phrases: [], chunks: [] }]]);
  });

  it("segments an unspaced Chinese query and ANDs its words, keeping the whole as a chunk", () => {
    const q = parseQuery("党建工作创新");
    expect(q.clauses).toEqual([[{ words: ["党建工作", "创新"], phrases: [], chunks: ["党建工作创新"] }]]);
  });

  it("reads ASCII and Chinese quotes as exact phrases", () => {
    for (const raw of ['"全面从严治党"', "“全面从严治党”", "「全面從嚴治黨」", "『全面从严治党』"]) {
      expect(describeQuery(parseQuery(raw)).phrases, raw).toEqual(["全面从严治党"]);
    }
  });

  it("reads -word as an exclusion, also for a phrase", () => {
    const q = parseQuery('学习 -教育 -"主题党日"');
    expect(q.excluded).toEqual(["教育", "主题党日"]);
    expect(describeQuery(q).words).toEqual(["学习"]);
  });

  it("reads A | B, A|B and A OR B as either", () => {
    for (const raw of ["乡村振兴 | 脱贫攻坚", "乡村振兴|脱贫攻坚", "乡村振兴 OR 脱贫攻坚", "乡村振兴 ｜ 脱贫攻坚"]) {
      const q = parseQuery(raw);
      expect(q.clauses.length, raw).toBe(1);
      expect(q.clauses[0].map((a) => a.words), raw).toEqual([["乡村振兴"], ["脱贫攻坚"]]);
    }
  });

  it("keeps lower-case 'or' as a word", () => {
    expect(parseQuery("a or b").clauses.length).toBe(3);
  });

  it("normalises every term: Traditional and full-width queries read like Simplified ones", () => {
    expect(parseQuery("黨建工作").clauses).toEqual(parseQuery("党建工作").clauses);
    expect(parseQuery("ＡＩ　党建").clauses).toEqual(parseQuery("ai 党建").clauses);
  });

  it("ignores stray punctuation and operators without operands", () => {
    expect(parseQuery("，。 | - OR").clauses).toEqual([]);
    expect(parseQuery('"').clauses).toEqual([]);
  });

  it("lists positive terms longest first for highlighting", () => {
    expect(positiveTerms(parseQuery("党建工作创新 马克"))).toEqual(["党建工作创新", "党建工作", "创新", "马克"]);
  });
});
