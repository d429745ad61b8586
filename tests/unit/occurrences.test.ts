import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countOccurrences, occurrencesIn, unitsOf } from "@/lib/search/occurrences";

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
