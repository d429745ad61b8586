// Snippets cut with the paragraphs' normal forms given (as an index has them) are the snippets cut without them:
// the normal form is reused only where the text maps unit for unit, and the marks land on the same characters.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { snippetsIn } from "@/lib/search/engine/highlight";
import { normalize, normalizeWithMap } from "@/lib/text/normalize";

// Simplified and Traditional, full-width forms, regional phrases, letters in both cases, astral characters, ligatures.
const unit = fc.constantFrom("党", "黨", "建", "設", "设", "学", "學", "习", "習", "台", "臺", "灣", "湾", "著", "作", "乾", "隆", "Ａ", "a", "B", "１", "1", "，", "。", " ", "𠮷", "ﬁ", "fi", "㍻", "å", "ß");
const paragraph = fc.string({ unit, minLength: 0, maxLength: 40 });

describe("snippets from an index's normalised paragraphs", () => {
  it("equal the snippets normalised afresh, for any paragraphs and terms", () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 6 }), fc.array(fc.string({ unit, minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 4, max: 60 }), (paragraphs, rawTerms, width) => {
        const terms = rawTerms.map(normalize).filter(Boolean);
        const given = snippetsIn(paragraphs, terms, { width }, paragraphs.map(normalize));
        expect(given).toEqual(snippetsIn(paragraphs, terms, { width }));
      }),
      { numRuns: 2000 },
    );
  });

  it("take the given normal form only for text that maps unit for unit", () => {
    expect(normalizeWithMap("黨建", "X").text).toBe("X");
    // ﬁ becomes two units: the map is built, and the given form is not used.
    expect(normalizeWithMap("ﬁ黨", "X").text).toBe(normalize("ﬁ黨"));
    expect(normalizeWithMap("𠮷黨", "X").text).toBe(normalize("𠮷黨"));
  });
});
