import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { occurrencesIn, scanByte, TermFinder, unitsOf } from "@/lib/search/engine/occurrences";

/** The reference: occurrences of `term` in text[from, to) found with indexOf, overlapping ones counted, up to `cap` (what the engine counted before). */
function countOccurrences(text: string, term: string, from: number, to: number, cap: number): number {
  let n = 0;
  for (let at = text.indexOf(term, from); at !== -1 && at + term.length <= to && n < cap; at = text.indexOf(term, at + 1)) n++;
  return n;
}

// Few distinct characters, so overlaps (哈哈 in 哈哈哈) and near misses are common; a surrogate pair among them.
const text = (max: number) => fc.array(fc.constantFrom("党", "建", "哈", "a", "𠀀", "\n"), { maxLength: max }).map((cs) => cs.join(""));

describe("occurrences", () => {
  it("counts in code units what indexOf counts, overlaps included, within the range and up to the cap", () => {
    fc.assert(
      fc.property(text(40), text(4).filter((t) => t.length > 0), fc.nat(45), fc.nat(45), fc.integer({ min: 1, max: 13 }), (hay, term, a, b, cap) => {
        const from = Math.min(a, b, hay.length);
        const to = Math.min(Math.max(a, b), hay.length);
        expect(occurrencesIn(unitsOf(hay), from, to, unitsOf(term), cap)).toBe(countOccurrences(hay, term, from, to, cap));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads only its range of a longer array (titles side by side)", () => {
    const units = unitsOf("党建党建|哈哈哈|建党");
    expect(occurrencesIn(units, 5, 8, unitsOf("哈哈"), 5)).toBe(2);
    expect(occurrencesIn(units, 0, 4, unitsOf("建党"), 5)).toBe(1);
    expect(occurrencesIn(units, 9, 11, unitsOf("党建"), 5)).toBe(0);
    expect(occurrencesIn(units, 0, 4, unitsOf("党建"), 1)).toBe(1);
  });
});

describe("TermFinder", () => {
  it("finds what indexOf finds and counts what countOccurrences counts, whichever unit it scans for", () => {
    fc.assert(
      fc.property(text(40), text(5).filter((t) => t.length >= 2), fc.nat(45), fc.nat(45), fc.array(fc.nat(100), { minLength: 256, maxLength: 256 }), (hay, term, a, b, cost) => {
        const finder = new TermFinder(term, cost);
        const from = Math.min(a, b);
        const to = Math.min(Math.max(a, b), hay.length);
        expect(finder.indexIn(hay, from)).toBe(hay.indexOf(term, from));
        expect(finder.count(hay, from, to, 12)).toBe(countOccurrences(hay, term, from, to, 12));
      }),
      { numRuns: 3000 },
    );
  });

  it("scans for the unit whose scan byte is rarest", () => {
    const cost = new Array(256).fill(1);
    cost[0x4e] = 1000; // 一 (U+4E00) and its block: common
    expect(new TermFinder("一段时间", cost).at).toBe(1); // 段 U+6BB5: scanned as 0xB5
    expect(new TermFinder("段一", cost).at).toBe(0);
    expect(new TermFinder("一段时", cost).at).toBe(1);
    expect(new TermFinder("一段", cost).at).toBe(0); // never a single unit: 段 alone matches too often
    expect(scanByte(0x6bb5)).toBe(0xb5);
    expect(scanByte(0x4e00)).toBe(0x4e);
  });
});
