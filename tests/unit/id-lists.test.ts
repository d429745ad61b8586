// The sorted id-list operations every search runs on: checked against plain
// set arithmetic on random lists, from equal lengths to one list hundreds of
// times longer than the other (where intersect gallops instead of merging).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { difference, intersect, intersectAll, union } from "@/lib/search/formats/ngram-index";

/** A sorted list of distinct ids below `max`. */
const ids = (max: number, maxLength: number) => fc.uniqueArray(fc.integer({ min: 0, max }), { maxLength }).map((a) => Uint32Array.from(a.sort((x, y) => x - y)));

const plainIntersect = (a: Uint32Array, b: Uint32Array) => {
  const inB = new Set(b);
  return [...a].filter((x) => inB.has(x));
};

describe("sorted id lists", () => {
  it("intersect is the ids in both lists, ascending, for any lengths", () => {
    fc.assert(
      fc.property(fc.oneof(ids(50, 40), ids(5000, 20)), fc.oneof(ids(50, 40), ids(5000, 3000)), (a, b) => {
        const expected = plainIntersect(a, b);
        expect([...intersect(a, b)]).toEqual(expected);
        expect([...intersect(b, a)]).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("intersect gallops over a long list: the first and last ids, runs next to each other, ids past the end", () => {
    const long = Uint32Array.from({ length: 10_000 }, (_, i) => i * 3);
    for (const short of [[0], [29_997], [29_998], [30_000, 40_000], [1, 2, 3, 4, 5, 6], [0, 3, 6, 9], [4, 5, 6, 29_997, 50_000], []]) {
      const s = Uint32Array.from(short);
      expect([...intersect(s, long)], JSON.stringify(short)).toEqual(plainIntersect(s, long));
    }
  });

  it("intersectAll, union and difference agree with set arithmetic", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(ids(200, 150), ids(20_000, 10)), { minLength: 1, maxLength: 4 }), (lists) => {
        const all = lists.slice(1).reduce<number[]>((acc, l) => plainIntersect(Uint32Array.from(acc), l), [...lists[0]]);
        expect([...intersectAll(lists)]).toEqual(all);
        const [a, b = new Uint32Array(0)] = lists;
        expect([...union(a, b)]).toEqual([...new Set([...a, ...b])].sort((x, y) => x - y));
        const inB = new Set(b);
        expect([...difference(a, b)]).toEqual([...a].filter((x) => !inB.has(x)));
      }),
      { numRuns: 300 },
    );
  });
});
