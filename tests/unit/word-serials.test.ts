// Word lists (WordLayer.documents, and a lean server's PgFetcher.words): each
// segment's serials mapped to this generation's documents (gone ones left
// out), the segments joined and put in ascending order. Typed arrays and no
// sort when already ascending must give what mapping one serial at a time and
// sorting always gave.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { docsOfSerials, joinedAscending } from "@/lib/search/formats/word-index";

describe("word lists from serials", () => {
  it("map, drop gone documents, join and order as one serial at a time and a sort did", () => {
    const library = fc.integer({ min: 1, max: 60 }).chain((serials) =>
      fc.record({
        // Each serial's document, −1 when gone; or null: serials are documents.
        map: fc.option(fc.array(fc.integer({ min: -1, max: 80 }), { minLength: serials, maxLength: serials }).map((a) => Int32Array.from(a)), { nil: null }),
        // A word's rows, one per segment: ascending serials, some past the map (written after it was made).
        rows: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: serials + 5 }), { maxLength: 20 }).map((s) => Uint32Array.from(s.sort((a, b) => a - b))), { maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(library, ({ map, rows }) => {
        const list: number[] = [];
        for (const row of rows)
          for (const serial of row) {
            const doc = map ? (serial < map.length ? map[serial] : -1) : serial;
            if (doc >= 0) list.push(doc);
          }
        const expected = Uint32Array.from(list).sort();
        const got = joinedAscending(rows.map((r) => docsOfSerials(Uint32Array.from(r), map)));
        expect(Array.from(got)).toEqual(Array.from(expected));
        // What the word cache counts is the list itself: no larger buffer behind it.
        expect(got.buffer.byteLength).toBe(got.byteLength);
      }),
      { numRuns: 500 },
    );
  });
});
