// A lean index reads a frequent pair's title counts from TitlePairs instead of
// scanning each result's title (engine/title-pairs.ts): for every kept pair
// and every title, the count it gives (once, twice and more) must be the
// scan's count capped at 2, overlapping occurrences included; the pairs it
// keeps are the frequent ones, also where it samples the titles to find them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { occurrencesIn, unitsOf } from "@/lib/search/engine/occurrences";
import { TitlePairs } from "@/lib/search/engine/title-pairs";

/** Titles packed one after another, as SearchIndex holds them. */
function pack(titles: string[]): { units: Uint16Array; start: Uint32Array } {
  const start = new Uint32Array(titles.length + 1);
  titles.forEach((t, i) => (start[i + 1] = start[i] + t.length));
  const units = new Uint16Array(start[titles.length]);
  titles.forEach((t, i) => units.set(unitsOf(t), start[i]));
  return { units, start };
}

function built(titles: string[]): TitlePairs {
  const { units, start } = pack(titles);
  const steps = TitlePairs.building(units, start, titles.length);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Every pair of units side by side in some title, and whether 5% of the titles or more hold it. */
function frequency(titles: string[]): Map<string, boolean> {
  const df = new Map<string, number>();
  for (const t of titles) for (const p of new Set(Array.from({ length: Math.max(0, t.length - 1) }, (_, i) => t.slice(i, i + 2)))) df.set(p, (df.get(p) ?? 0) + 1);
  return new Map([...df].map(([p, n]) => [p, n >= 0.05 * titles.length]));
}

/** What scoring reads for a kept pair: 0, 1 or 2 (2: twice or more). */
function countOf(pairs: TitlePairs, pair: string, doc: number): number {
  const c = pairs.of(pair)!;
  const once = (c.once[doc >>> 5] >>> (doc & 31)) & 1;
  return once && c.twice.includes(doc) ? 2 : once;
}

function expectScanCounts(pairs: TitlePairs, titles: string[], pair: string): void {
  const { units, start } = pack(titles);
  const term = unitsOf(pair);
  for (let doc = 0; doc < titles.length; doc++) expect([pair, doc, countOf(pairs, pair, doc)]).toEqual([pair, doc, occurrencesIn(units, start[doc], start[doc + 1], term, 2)]);
  // Ascending, as scoring walks it in step with the results.
  const twice = Array.from(pairs.of(pair)!.twice);
  expect(twice).toEqual([...twice].sort((a, b) => a - b));
}

describe("TitlePairs", () => {
  it("counts each kept pair in every title as the scan does (capped at 2), and keeps every pair in 5% of the titles or more, up to 32", () => {
    // A small alphabet: pairs are frequent, repeated (甲甲甲 holds 甲甲 twice), and in titles of one unit or none.
    const title = fc.array(fc.constantFrom("甲", "乙", "丙", "丁", "戊", "1"), { maxLength: 12 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(fc.array(title, { minLength: 1, maxLength: 120 }), (titles) => {
        const pairs = built(titles);
        const frequent = [...frequency(titles)].filter(([, often]) => often).map(([p]) => p);
        expect(pairs.size).toBe(Math.min(32, frequent.length));
        for (const p of frequent) if (pairs.of(p)) expectScanCounts(pairs, titles, p);
        if (frequent.length <= 32) for (const p of frequent) expect(pairs.of(p)).not.toBeNull();
        // Pairs no title holds often enough, and terms that are not pairs, are left to the scan.
        for (const [p, often] of frequency(titles)) if (!often) expect(pairs.of(p)).toBeNull();
        expect(pairs.of("甲")).toBeNull();
        expect(pairs.of("甲乙丙")).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("finds the frequent pairs on a sample of a large library and counts them in every title", () => {
    // 40,000 titles (one in 16 sampled): 总统 in a third of them, 通知 in a tenth, 活动 in 1%: not kept.
    const titles = Array.from({ length: 40_000 }, (_, i) => {
      const parts = [`第${i}号`];
      if (i % 3 === 0) parts.push("总统接见");
      if (i % 10 === 1) parts.push("关于的通知");
      if (i % 100 === 7) parts.push("活动");
      if (i % 999 === 0) parts.push("副总统与总统");
      return parts.join("");
    });
    const pairs = built(titles);
    expect(pairs.of("总统")).not.toBeNull();
    expect(pairs.of("通知")).not.toBeNull();
    expect(pairs.of("活动")).toBeNull();
    for (const p of ["总统", "通知", "接见"]) expectScanCounts(pairs, titles, p);
    expect(Array.from(pairs.of("总统")!.twice)).toEqual(titles.flatMap((t, i) => (t.includes("副总统与总统") ? [i] : [])));
  });
});
