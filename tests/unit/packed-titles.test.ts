// Titles packed as code units (what a lean index keeps of every title) come
// back unit for unit: Chinese, astral characters, lone surrogates, empty ones,
// whether added as strings or as stored UTF-16LE bytes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TitlePacker, unpackTitle } from "@/lib/search/formats/packed-titles";
import { titleBits, titleBitsOf } from "@/lib/search/engine/title-filter";

describe("packed titles", () => {
  it("unpack to the titles packed, unit for unit", () => {
    const unit = fc.oneof(fc.constantFrom("党", "建", "黨", "𠀋", "\ud800", "\udfff", "a", " ", "　"), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(fc.array(fc.array(unit, { maxLength: 40 }).map((u) => u.join("")), { maxLength: 30 }), (titles) => {
        const packer = new TitlePacker(titles.length, 8);
        // As strings, and as the UTF-16LE bytes a store keeps of a normalised title (title_norm), in turn.
        titles.forEach((t, doc) => (doc % 2 ? packer.addUtf16le(Buffer.from(t, "utf16le")) : packer.add(t)));
        const packed = packer.done();
        expect(titles.map((_, doc) => unpackTitle(packed, doc))).toEqual(titles);
        // The title filter's words of a packed title are those of the title itself.
        titles.forEach((t, doc) => expect(titleBitsOf(packed.units, packed.start[doc], packed.start[doc + 1])).toEqual(titleBits(t)));
      }),
      { numRuns: 300 },
    );
  });
});
