import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { highlight } from "@/lib/search/engine/highlight";
import { normalize, normalizeChars, normalizeCharsGeneral, normalizeWithMap } from "@/lib/text/normalize";
import { phraseRespeller, spellingTable } from "@/lib/text/spellings";
import { detectScript, toSimplified } from "@/lib/text/script";

describe("normalize", () => {
  it("folds full-width letters, digits and punctuation to half-width (NFKC)", () => {
    // Round brackets become square ones: every bracket a document number is written with is one (中组发〔2024〕3号).
    expect(normalize("ＡＢＣ１２３，（）！")).toBe("abc123,[]!");
  });

  it("lower-cases Latin letters", () => {
    expect(normalize("Party BUILDING")).toBe("party building");
  });

  it("converts Traditional characters to Simplified, including Taiwan variants", () => {
    expect(normalize("黨建工作創新")).toBe("党建工作创新");
    expect(normalize("吳紫娟")).toBe(normalize("吴紫娟"));
    expect(normalize("裡")).toBe("里");
  });

  it("turns every kind of whitespace into a plain space", () => {
    expect(normalize("党建\u3000工作\t创新\u00a0")).toBe("党建 工作 创新 ");
  });

  it("applies compatibility forms such as circled digits", () => {
    expect(normalize("①②")).toBe("12");
  });

  it("leaves Simplified text and ASCII unchanged", () => {
    const s = "党建工作 2018 abc";
    expect(normalize(s)).toBe(s);
  });
});

describe("normalizeChars (one unit for one through a typed table, else by runs)", () => {
  it("gives what the general path gives for every BMP unit, alone and beside others", () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      expect(normalizeChars(ch)).toBe(normalizeCharsGeneral(ch));
      expect(normalizeChars(`黨${ch}ａ`)).toBe(normalizeCharsGeneral(`黨${ch}ａ`));
    }
  });

  it("gives what the general path gives for random text (surrogate pairs, lone surrogates, multi-unit images, U+FFFF)", () => {
    const special = ["…", "㍿", "①", "\uffff", "𠀋", "\ud800", "\udc00", "Ａ", "黨", "党", "，", "\u3000", "ß", "İ"];
    const unit = fc.oneof(fc.constantFrom(...special), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (parts) => {
        const text = parts.join("");
        expect(normalizeChars(text)).toBe(normalizeCharsGeneral(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("returns the text itself when nothing changes", () => {
    const s = "党建工作 2018 abc";
    expect(normalizeChars(s)).toBe(s);
  });
});

describe("phrase respelling (hashed pair filter, then the exact pair set)", () => {
  it("replaces exactly the phrases a plain longest-match scan over the table replaces", () => {
    const phrases = spellingTable().phrases;
    const keys = [...phrases.keys()];
    const maxLen = Math.max(...keys.map((k) => k.length));
    const plain = (text: string) => {
      let out = "";
      for (let i = 0; i < text.length; ) {
        let hit = 0;
        for (let len = Math.min(maxLen, text.length - i); len >= 1 && !hit; len--) if (phrases.has(text.slice(i, i + len))) hit = len;
        out += hit ? phrases.get(text.slice(i, i + hit))! : text[i];
        i += hit || 1;
      }
      return out;
    };
    const respell = phraseRespeller(phrases);
    // Pieces of phrases and whole phrases, so that pairs that start one (and pairs that only share its first unit) occur.
    const piece = fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...keys).map((k) => k.slice(0, 1)), fc.constantFrom(...keys).map((k) => k.slice(1)), fc.constantFrom("党", "建", "计", "划", "a"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(respell(text)).toBe(plain(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("normalizeWithMap", () => {
  it("maps every normalised unit back to its source character", () => {
    const original = "黨建Ａ①…𠀋x";
    const { text, start, end } = normalizeWithMap(original);
    expect(text).toBe(normalize(original));
    for (let i = 0; i < text.length; i++) {
      expect(start[i]).toBeGreaterThanOrEqual(0);
      expect(end[i]).toBeGreaterThan(start[i]);
      expect(end[i]).toBeLessThanOrEqual(original.length);
    }
    // "…" becomes "..." : three normalised units from one original character.
    const dots = text.indexOf("...");
    expect(original.slice(start[dots], end[dots + 2])).toBe("…");
  });

  it("gives highlight parts that concatenate to the original, for random text", () => {
    const alphabet = ["黨", "党", "建", "工", "作", "Ａ", "a", " ", "\u3000", "…", "①", "𠀋", "，", "。", "讀", "书"];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const original = Array.from({ length: rand(30) }, () => alphabet[rand(alphabet.length)]).join("");
      const terms = [["党建"], ["建工"], ["a"], ["...", "1"], ["党", "党建工作"]][rand(5)];
      const parts = highlight(original, terms);
      expect(parts.map((p) => p.text).join("")).toBe(original);
      for (const p of parts.filter((x) => x.match)) {
        const n = normalize(p.text);
        expect(terms.some((t) => n.includes(t))).toBe(true);
      }
    }
  });
});

describe("script detection", () => {
  it("tells Traditional, Simplified and mixed text apart", () => {
    expect(detectScript("黨支部讀書角成了黨員的加油站")).toBe("Traditional");
    expect(detectScript("党支部读书角成了党员的加油站")).toBe("Simplified");
    expect(detectScript("党支部讀書角")).toBe("mixed");
  });

  it("converts one code point at a time, keeping the length", () => {
    const t = "臺灣黨建𠀋";
    expect([...toSimplified(t)].length).toBe([...t].length);
  });
});
