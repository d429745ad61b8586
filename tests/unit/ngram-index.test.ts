// The n-gram layer's promise, over texts rich in what makes it hard: runs of
// digits, Latin letters and signs (long grams), Chinese, separators, and
// broken UTF-16 (a lone high surrogate, whose pair keys the long grams use).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intersectAll, NgramIndex } from "@/lib/search/formats/ngram-index";
import { occurrencesIn, unitsOf } from "@/lib/search/engine/occurrences";

const UNITS = ["2", "0", "1", "a", "b", "%", "-", ".", "党", "年", " ", "\n", "\ud800", "\udc00", "\ud83d"];
// Few units, so that long grams of a term turn up apart in one text (2020 and 0201 without 20201).
const DENSE = ["2", "0", "1", "年", " "];
const textOf = (units: string[]) => fc.array(fc.constantFrom(...units), { maxLength: 40 }).map((cs) => cs.join(""));
const typedOf = (units: string[]) => fc.array(fc.constantFrom(...units), { minLength: 1, maxLength: 7 }).map((cs) => cs.join(""));
const text = textOf(UNITS);

/** Overlapping occurrences, as ranking counts them (capped as the index stores them). */
const count = (t: string, term: string) => occurrencesIn(unitsOf(t), 0, t.length, unitsOf(term), 255);

describe("NgramIndex", () => {
  it.each([
    ["mixed units", UNITS],
    ["few units", DENSE],
  ])("finds every document holding a term among its candidates, exactly those for an exact term, with exact counts (%s)", (_, units) => {
    fc.assert(
      fc.property(fc.array(textOf(units), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 7 })), { maxLength: 10 }), fc.array(typedOf(units), { maxLength: 10 }), (texts, picks, extra) => {
        const index = NgramIndex.build(texts);
        // Substrings of the texts (found by construction) and typed strings (mostly found nowhere).
        const terms = [...picks.map(([d, at, len]) => texts[d % texts.length].slice(at % 40, (at % 40) + 1 + len)).filter((t) => t.length > 0), ...extra];
        for (const term of terms) {
          if (!term.replace(/[ \n]/gu, "")) continue; // separators alone are never a term (the query parser splits on them)
          const truth = texts.flatMap((t, d) => (t.includes(term) ? [d] : []));
          const candidates = Array.from(index.candidates(term));
          for (const d of truth) expect(candidates, `${JSON.stringify(term)} in document ${d}`).toContain(d);
          if (!NgramIndex.exact(term)) continue;
          expect(candidates, JSON.stringify(term)).toEqual(truth);
          const { docs, freqs } = index.postingsOf(term);
          expect(Array.from(docs)).toEqual(truth);
          expect(Array.from(freqs)).toEqual(truth.map((d) => count(texts[d], term)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never counts fewer occurrences than a term has (the upper bound approximate ranking reads)", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 8 }), (texts, picks) => {
        const index = NgramIndex.build(texts);
        for (const [d, at, len] of picks) {
          const term = texts[d % texts.length].slice(at % 40, (at % 40) + len);
          if (!term.trim() || /[ \n]/u.test(term)) continue;
          const into = new Uint8Array(texts.length);
          index.frequenciesOf(term, into);
          texts.forEach((t, doc) => expect(into[doc], `${JSON.stringify(term)} in ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(count(t, term)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("makes terms of three or four ASCII units exact, and longer or mixed ones narrow", () => {
    const texts = ["2020年工作总结", "2021年 2002年 1020", "iphone 15 发布", "100% 完成", "2019-2020", "phone iph"];
    const index = NgramIndex.build(texts);
    expect(NgramIndex.exact("202")).toBe(true);
    expect(NgramIndex.exact("2020")).toBe(true);
    expect(NgramIndex.exact("100%")).toBe(true);
    expect(NgramIndex.exact("2020年")).toBe(false);
    expect(NgramIndex.exact("iphone")).toBe(false);
    expect(Array.from(index.candidates("2020"))).toEqual([0, 4]);
    expect(Array.from(index.candidates("100%"))).toEqual([3]);
    // Pairs alone (20, 02, 0年) were in documents 0, 1 and 4; the four-gram 2020 leaves 0 and 4, and 0年 leaves 0.
    expect(Array.from(index.candidates("2020年"))).toEqual([0]);
    // iph, pho, hon, one are all in document 5, but not the four-grams iphone has.
    expect(Array.from(index.candidates("iphone"))).toEqual([2]);
  });
});

describe("intersectAll", () => {
  it("is the documents in every list, however many lists and of whatever lengths (merged or counted)", () => {
    const list = fc.uniqueArray(fc.integer({ min: 0, max: 9000 }), { maxLength: 8000, size: "max" }).map((xs) => Uint32Array.from(xs.sort((a, b) => a - b)));
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 6 }), (lists) => {
        const sets = lists.map((l) => new Set(l));
        const truth = Array.from(lists[0]).filter((d) => sets.every((s) => s.has(d))).sort((a, b) => a - b);
        expect(Array.from(intersectAll(lists))).toEqual(truth);
      }),
      // No shrinking: lists of thousands of documents shrink for minutes; the failing lists are printed as they are.
      { numRuns: 60, endOnFailure: true },
    );
  });
});
