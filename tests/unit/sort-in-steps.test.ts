// The suggester's sorts run in steps between requests (sortInSteps): the
// result must be exactly the one-go sort's, for any size against the step
// (runs, merges of runs of unequal length, one item, none), and no stretch
// between two yields may hold more than about a step's work.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortInSteps } from "@/lib/search/reader-aids/suggest";

describe("sortInSteps", () => {
  it("sorts exactly as a sort in one go, whatever the step", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (keys, step) => {
        // Many equal keys, made a total order by the item (as the suggester's comparators are).
        const cmp = (a: number, b: number) => keys[a] - keys[b] || a - b;
        const items = Uint32Array.from(keys, (_, i) => i);
        const expected = Uint32Array.from(items).sort(cmp);
        const steps = sortInSteps(items, cmp, step);
        let compared = 0;
        let longest = 0;
        const counting = (a: number, b: number) => (compared++, cmp(a, b));
        const counted = sortInSteps(Uint32Array.from(keys, (_, i) => i), counting, step);
        let r = counted.next();
        for (; !r.done; r = counted.next()) {
          longest = Math.max(longest, compared);
          compared = 0;
        }
        longest = Math.max(longest, compared);
        let result = steps.next();
        while (!result.done) result = steps.next();
        expect(Array.from(result.value)).toEqual(Array.from(expected));
        expect(Array.from(r.value)).toEqual(Array.from(expected));
        // A run's sort compares at most ~step·log2(step) pairs; a merge stretch at most `step`.
        expect(longest).toBeLessThanOrEqual(Math.max(step, step * Math.ceil(Math.log2(step + 1)) * 2));
      }),
      { numRuns: 400 },
    );
  });
});
