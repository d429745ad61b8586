// The server's query segmenter (lib/text/jieba-cut.ts) must cut exactly as
// nodejieba.cut(text, true), which built the index: compared here on
// generated text built from what jieba treats specially.
import fc from "fast-check";
import nodejieba from "nodejieba";
import { describe, expect, it, vi } from "vitest";
import { JiebaCutter } from "@/lib/text/jieba-cut";
import { normalize } from "@/lib/text/normalize";
import { cut, jiebaFiles, loadSegmenter, userDictionaryTerms } from "@/lib/text/segment";

loadSegmenter();
const port = new JiebaCutter(jiebaFiles());
const jieba = (s: string) => nodejieba.cut(s, true);

// Pieces jieba handles differently: dictionary words, our user terms (and their single characters),
// characters outside the dictionary (HMM), letters and digits (the HMM's rules), the separators
// (space, tab, newline, "，", "。"), other punctuation, characters outside the BMP, lone surrogates.
const terms = userDictionaryTerms();
const pieces = [
  ...terms.slice(0, 40),
  "党建", "工作", "学习", "贯彻", "习近平", "新时代", "中国特色社会主义", "研究生", "生命", "命令", "结婚", "的", "和", "尚未", "未来",
  "甄", "嬛", "犇", "鑫", "淼", "昶", "玥", "彧", "喆", "堃",
  "2018", "3.14", "12.", "abc", "Ab1c", "COVID-19", "x", "9",
  " ", "\t", "\n", "，", "。", "、", "！", "“", "”", "（", "）", "·", "-", ".", ",", "：",
  "𠮷", "𡈽", "😀", "\uD800", "\uDC00", "é", "ｱ", "Ａ", "１",
];
const textArb = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: "grapheme", maxLength: 3 }), fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)), maxLength: 6 })), { maxLength: 30 }).map((a) => a.join(""));

describe("jieba's cut in TypeScript", () => {
  it("cuts as nodejieba on fixed sentences", () => {
    for (const s of [
      "",
      "我们认真开展三会一课和主题教育",
      "2018年甄文明在党支部大会上发言，强调全面从严治党。",
      "南京市长江大桥",
      "他来到了网易杭研大厦",
      "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
      "COVID-19疫情防控 v2.0版本 3.14159 abc123def",
      "𠮷野家和😀表情\uD800孤立",
      normalize("黨風廉政建設和三會一課，習近平新時代中國特色社會主義思想。"),
    ]) {
      expect(port.cut(s), s).toEqual(jieba(s));
    }
  });

  it("cuts as nodejieba on 3,000 generated texts", () => {
    fc.assert(
      fc.property(textArb, (s) => {
        expect(port.cut(s)).toEqual(jieba(s));
      }),
      { numRuns: 3000 },
    );
  });

  it("is what the search's cut() uses, spaces dropped", () => {
    const s = "党建 工作\t2018年，三会一课。";
    expect(cut(s)).toEqual(jieba(s).filter((w) => w.trim().length > 0));
  });

  it("names the file it cannot read", () => {
    expect(() => new JiebaCutter({ dict: "/nonexistent/jieba.dict.utf8", hmmDict: jiebaFiles().hmmDict })).toThrow(/\/nonexistent\/jieba\.dict\.utf8/u);
  });
});

describe("the query segmenter saved with a generation (tables)", () => {
  const bytes = port.tables();
  const saved = new JiebaCutter({ tables: bytes, where: "test tables" });

  it("cuts as the cutter it was saved from on 3,000 generated texts, and saves the same bytes again", () => {
    fc.assert(
      fc.property(textArb, (s) => {
        expect(saved.cut(s)).toEqual(port.cut(s));
      }),
      { numRuns: 3000 },
    );
    expect(Buffer.compare(saved.tables(), bytes)).toBe(0);
  });

  it("reads tables that do not start on an 8-byte boundary", () => {
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    const s = "我们认真开展三会一课和主题教育，2018年𠮷野家";
    expect(new JiebaCutter({ tables: shifted.subarray(3), where: "shifted" }).cut(s)).toEqual(port.cut(s));
  });

  it("refuses other bytes, naming where they came from: another file, a changed byte, cut short", () => {
    expect(() => new JiebaCutter({ tables: Buffer.from("not tables at all"), where: "/x/query-segmenter.bin" })).toThrow(/\/x\/query-segmenter\.bin: not a saved query segmenter \(no JIEBACUT header\)/u);
    const changed = Buffer.from(bytes);
    changed[changed.length - 70_000] ^= 1;
    expect(() => new JiebaCutter({ tables: changed, where: "changed" })).toThrow(/changed: .*checksum mismatch/u);
    expect(() => new JiebaCutter({ tables: bytes.subarray(0, bytes.length - 8), where: "short" })).toThrow(/short: .*bytes of tables, the header says/u);
  });

  it("loadQuerySegmenter takes the saved tables, and falls back to jieba's files when they are bad (logged)", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      vi.resetModules();
      const fresh = await import("@/lib/text/segment");
      fresh.loadQuerySegmenter({ tables: bytes, where: "good" });
      expect(fresh.querySegmenterLoaded()).toBe(true);
      expect(errors).not.toHaveBeenCalled();
      expect(fresh.cut("三会一课和主题教育")).toEqual(cut("三会一课和主题教育"));
      vi.resetModules();
      const again = await import("@/lib/text/segment");
      again.loadQuerySegmenter({ tables: Buffer.from("broken"), where: "/idx/query-segmenter.bin" });
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(/\/idx\/query-segmenter\.bin: not a saved query segmenter .*reading jieba's dictionary files instead/u));
      expect(again.cut("三会一课和主题教育")).toEqual(cut("三会一课和主题教育"));
    } finally {
      errors.mockRestore();
      vi.resetModules();
    }
  });
});
