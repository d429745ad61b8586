import { describe, expect, it } from "vitest";
import { describeQuery, MAX_EXPANSIONS, parseQuery, positiveTerms, type ParsedQuery } from "@/lib/search/query/parse";

/** The alternatives as typed (without those the synonym table or kept spellings added). */
const typed = (q: ParsedQuery) => q.clauses.map((c) => c.filter((a) => !a.kind));

describe("parseQuery", () => {
  it("ANDs space-separated words", () => {
    const q = parseQuery("党建 创新");
    expect(typed(q)).toEqual([[{ words: ["党建"], phrases: [], chunks: [] }], [{ words: ["创新"], phrases: [], chunks: [] }]]);
  });

  it("segments an unspaced Chinese query and ANDs its words, keeping the whole as a chunk", () => {
    const q = parseQuery("党建工作创新");
    expect(typed(q)).toEqual([[{ words: ["党建工作", "创新"], phrases: [], chunks: ["党建工作创新"] }]]);
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
      expect(typed(q)[0].map((a) => a.words), raw).toEqual([["乡村振兴"], ["脱贫攻坚"]]);
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
    expect(positiveTerms(parseQuery("基层工作创新 马克"))).toEqual(["基层工作创新", "基层工作", "创新", "马克"]);
  });
});

describe("synonyms and abbreviations", () => {
  it("expands a term of the synonym table into its group, both ways and in either script", () => {
    for (const raw of ["二十大", "党的第二十次全国代表大会", "黨的第二十次全國代表大會"]) {
      const q = parseQuery(raw);
      const terms = positiveTerms(q);
      expect(terms, raw).toContain("二十大");
      expect(terms, raw).toContain("党的第二十次全国代表大会");
      expect(terms, raw).toContain("中国共产党第二十次全国代表大会");
      expect(q.clauses[0][0].kind, raw).toBeUndefined();
      expect(q.clauses[0].slice(1).every((a) => a.kind === "synonym"), raw).toBe(true);
    }
    expect(describeQuery(parseQuery("两学一做")).expanded).toEqual([{ term: "两学一做", synonyms: expect.arrayContaining(["学党章党规、学系列讲话,做合格党员"]) }]);
  });

  it("expands a term inside a longer part and keeps the rest of the part", () => {
    const q = parseQuery("二十大精神");
    const synonymAlts = q.clauses[0].filter((a) => a.kind === "synonym");
    expect(synonymAlts).toContainEqual({ words: ["精神"], phrases: ["党的二十大"], chunks: [], kind: "synonym" });
  });

  it("does not expand quoted phrases or exclusions", () => {
    expect(describeQuery(parseQuery('"二十大"')).expanded).toEqual([]);
    expect(describeQuery(parseQuery("学习 -二十大")).expanded).toEqual([]);
  });

  it("regional vocabulary is a synonym, not a spelling: 網路 finds 网络 but is not the same word", () => {
    const q = parseQuery("網路");
    expect(q.clauses[0][0].words).toEqual(["网路"]);
    expect(positiveTerms(q)).toContain("网络");
  });
});

describe("regional spellings in queries", () => {
  it("reads 計畫 as 计划 and 瞭解 as 了解: one query, not an expansion", () => {
    expect(parseQuery("計畫").clauses).toEqual(parseQuery("计划").clauses);
    expect(parseQuery("瞭解").clauses).toEqual(parseQuery("了解").clauses);
  });

  it("a character a phrase keeps (著 in 著作) is also searched, whichever script was typed", () => {
    const alts = parseQuery("著").clauses[0];
    expect(alts.map((a) => [a.words, a.phrases, a.kind])).toEqual([
      [["着"], [], undefined],
      [[], ["著"], "spelling"],
    ]);
    expect(parseQuery("着").clauses).toEqual(parseQuery("著").clauses);
    expect(parseQuery("計畫").clauses).toEqual(parseQuery("计划").clauses);
  });
});

describe("bounded expansion", () => {
  it("adds at most MAX_EXPANSIONS alternatives to a whole query, and reports only the synonyms it used", () => {
    const q = parseQuery("二十大 | 十九大 | 十八大 | 十七大 | 十六大 | 十五大 | 两学一做 | 三会一课 | 三严三实 | 四个意识 | 四个自信 | 八项规定 | 四风 | 党建 | 网络 | 信息");
    const added = q.clauses.flat().filter((a) => a.kind).length;
    expect(added).toBe(MAX_EXPANSIONS);
    const reported = describeQuery(q).expanded.reduce((k, e) => k + e.synonyms.length, 0);
    expect(reported).toBe(MAX_EXPANSIONS);
  });
});
