// Titles packed as code units (what a lean index keeps of every title) come
// back unit for unit: Chinese, astral characters, lone surrogates, empty ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TitlePacker, unpackTitle } from "@/lib/search/formats/packed-titles";

describe("packed titles", () => {
  it("unpack to the titles packed, unit for unit", () => {
    const unit = fc.oneof(fc.constantFrom("党", "建", "黨", "𠀋", "\ud800", "\udfff", "a", " ", "　"), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(fc.array(fc.array(unit, { maxLength: 40 }).map((u) => u.join("")), { maxLength: 30 }), (titles) => {
        const packer = new TitlePacker(titles.length, 8);
        for (const t of titles) packer.add(t);
        const packed = packer.done();
        expect(titles.map((_, doc) => unpackTitle(packed, doc))).toEqual(titles);
      }),
      { numRuns: 300 },
    );
  });
});
