// A live segment's facets are spliced from its base's (engine/facets.ts):
// kept documents' value ids copied, added ones' values looked up, removed
// ones counted out of the spellings. Spliced or built over the same
// documents' values, a facet must answer alike: counts and labels (the
// commonest spelling of values equal after normalisation), value filters and
// field searches, for any documents.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Facet } from "@/lib/search/engine/facets";

// Spellings equal after normalisation (Traditional and Simplified, full and half width, spaces) and apart.
const SPELLINGS = ["吴紫娟", "吳紫娟", "周明", "周明 ", "陈志明", "陳志明", "ＡＢ社", "AB社", "孙伟", "党建通讯", "黨建通訊"];
const values = fc.array(fc.constantFrom(...SPELLINGS), { maxLength: 3 });

/** Everything a search reads of a facet, for every document set asked. */
function answers(f: Facet, count: number, sets: number[][]) {
  const keys = ["吴紫娟", "周明", "ab社", "党建通讯", "无此人"];
  return {
    counts: sets.map((s) => f.count(Uint32Array.from(s))),
    masks: keys.map((k) => Array.from(f.documentsWith(f.mask([k]), count))),
    containing: [["紫"], ["明"], ["建", "通"], ["无"]].map((t) => Array.from(f.documentsWith(f.maskContaining(t), count))),
  };
}

describe("a spliced facet", () => {
  it("answers as one built over the same documents' values (kept, added and removed documents, any order)", () => {
    fc.assert(
      fc.property(
        fc.array(values, { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        fc.array(values, { maxLength: 10 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        fc.array(fc.array(fc.nat(39), { maxLength: 15 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        // Base and added documents with many values, one at most (a single-valued facet) or none (an empty one).
        fc.constantFrom("many", "one", "none"),
        fc.constantFrom("many", "one", "none"),
        (baseValues, keep, addedValues, order, sets, normalizeKeys, baseMode, addedMode) => {
          const shape = (mode: string) => (v: string[]) => (mode === "many" ? v : mode === "one" ? v.slice(0, 1) : []);
          const base = baseValues.map(shape(baseMode));
          const added = addedValues.map(shape(addedMode));
          const kept = base.map((_, old) => old).filter((old) => keep[old]);
          const gone = base.map((_, old) => old).filter((old) => !keep[old]);
          // The new documents: the kept ones and the added ones, shuffled by `order`.
          const docs: Array<{ old: number; values: string[] }> = [...kept.map((old) => ({ old, values: base[old] })), ...added.map((v) => ({ old: -1, values: v }))];
          const shuffled = docs.map((d, i) => ({ d, key: order[i] })).sort((a, b) => a.key - b.key).map((x) => x.d);
          const n = shuffled.length;
          const oldOf = Int32Array.from(shuffled, (d) => d.old);
          const sparse = new Array<string[]>(n);
          shuffled.forEach((d, doc) => {
            if (d.old < 0) sparse[doc] = d.values;
          });
          const spliced = new Facet(sparse, normalizeKeys, { base: new Facet(base, normalizeKeys), oldOf, gone: gone.map((old) => base[old]) });
          const built = new Facet(shuffled.map((d) => d.values), normalizeKeys);
          const asked = sets.map((s) => [...new Set(s.filter((d) => d < n))].sort((a, b) => a - b));
          expect(answers(spliced, n, asked)).toEqual(answers(built, n, asked));
        },
      ),
      { numRuns: 500 },
    );
  });
});
