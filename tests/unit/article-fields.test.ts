// A lean index's article columns (engine/article-fields.ts) read back every
// field as the articles they were made from, when loaded row by row and when
// spliced for a live segment (kept articles renumbered, others dropped, new
// ones added).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldsOfArray, MetaColumns, type ArticleFields } from "@/lib/search/engine/article-fields";
import type { ArticleMeta } from "@/lib/search/formats/article-record";

const meta: fc.Arbitrary<ArticleMeta> = fc
  .record({
    title: fc.constantFrom("", "支部学习", "黨建工作"),
    date: fc.constantFrom(null, "2019-06-10", "2024-01-02", "2024"),
    authors: fc.array(fc.constantFrom("吴紫娟", "吳紫娟", "周明", "陈志明"), { maxLength: 3 }),
    source: fc.constantFrom(null, "机关党建通讯", "清风周刊"),
    bodyChars: fc.nat({ max: 100_000 }),
    official: fc.option(fc.record({ docType: fc.constantFrom("通知", "意见"), issuer: fc.constantFrom("中共示范县委组织部", "县委办"), docNumber: fc.constantFrom("示组发〔2022〕5号", "县委办〔2023〕1号") }), { nil: undefined }),
  })
  .map(({ official, ...m }) => ({ id: "", contentHash: "", url: null, tags: [], script: "Simplified" as const, ...m, ...(official ?? {}) }));

function columnsOf(metas: ArticleMeta[]): MetaColumns {
  const b = MetaColumns.builder(metas.length);
  for (const m of metas) b.add({ date: m.date, authorLine: m.authors.join("\n"), source: m.source, bodyChars: m.bodyChars!, docType: m.docType, issuer: m.issuer, docNumber: m.docNumber });
  return b.done();
}

/** Every field but the title (a lean load packs its titles elsewhere; only added articles carry theirs). */
function fields(f: ArticleFields, withTitles: boolean) {
  return Array.from({ length: f.length }, (_, doc) => ({
    date: f.date(doc),
    bodyChars: f.bodyChars(doc),
    authors: f.authors(doc),
    source: f.source(doc),
    docType: f.docType(doc),
    issuer: f.issuer(doc),
    docNumber: f.docNumber(doc),
    ...(withTitles ? { title: f.title(doc) } : {}),
  }));
}

describe("a lean index's article columns", () => {
  it("read back every article's fields as loaded", () => {
    fc.assert(
      fc.property(fc.array(meta, { maxLength: 40 }), (metas) => {
        expect(fields(columnsOf(metas), false)).toEqual(fields(fieldsOfArray(metas), false));
      }),
      { numRuns: 300 },
    );
  });

  it("spliced for a live segment, read back the kept articles at their new places and the added ones", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(meta, fc.boolean()), { maxLength: 30 }), fc.array(meta, { maxLength: 10 }), fc.integer(), (base, added, seed) => {
        const metas = base.map(([m]) => m);
        // Kept articles keep their order; the added ones are put in among them at places drawn from the seed.
        const kept = base.flatMap(([, keep], old) => (keep ? [old] : []));
        const n = kept.length + added.length;
        const slots = Array.from({ length: n }, (_, k) => k).sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97) || a - b);
        const addedAt = new Set(slots.slice(0, added.length));
        const remap = new Int32Array(base.length).fill(-1);
        const order: ArticleMeta[] = new Array(n);
        const placed: Array<{ doc: number; meta: ArticleMeta }> = [];
        let k = 0;
        let a = 0;
        for (let doc = 0; doc < n; doc++) {
          if (addedAt.has(doc)) {
            placed.push({ doc, meta: added[a] });
            order[doc] = added[a++];
          } else {
            remap[kept[k]] = doc;
            order[doc] = metas[kept[k++]];
          }
        }
        const spliced = columnsOf(metas).spliced(n, remap, placed);
        expect(fields(spliced, false)).toEqual(fields(fieldsOfArray(order), false));
        // The added articles' titles, for the segment's titles; the kept ones' come from the base's packed titles.
        expect(placed.map(({ doc }) => spliced.title(doc))).toEqual(placed.map(({ meta }) => meta.title));
      }),
      { numRuns: 300 },
    );
  });
});
