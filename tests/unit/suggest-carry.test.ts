// A live segment's suggester is made from its base's (Suggester.carrying):
// it must be exactly the suggester built over the segment's own titles and
// vocabulary, equal titles included (their order is by document), whether
// the vocabulary's words stayed (only counts moved) or changed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Suggester, type TitleSource } from "@/lib/search/reader-aids/suggest";
import type { Vocabulary } from "@/lib/search/reader-aids/reader-aids";

function titleSource(titles: string[]): TitleSource {
  const start = new Uint32Array(titles.length + 1);
  for (let i = 0; i < titles.length; i++) start[i + 1] = start[i] + titles[i].length;
  const units = new Uint16Array(start[titles.length]);
  titles.forEach((t, i) => {
    for (let k = 0; k < t.length; k++) units[start[i] + k] = t.charCodeAt(k);
  });
  return { units, start, original: (doc) => titles[doc] };
}

function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

const vocabulary = (words: string[], df: number[], pinyin: string[]): Vocabulary => ({ words, df: Uint32Array.from(df), pinyin });
const BASE_VOCABULARY = vocabulary(["党建", "党员", "支部", "组织"], [5, 4, 3, 2], ["dang jian", "dang yuan", "zhi bu", "zu zhi"]);
/** Words of both kinds of change: the same words with other counts, and a word added. */
const COUNTS_MOVED = vocabulary(["党建", "党员", "支部", "组织"], [6, 4, 2, 2], ["dang jian", "dang yuan", "zhi bu", "zu zhi"]);
const WORD_ADDED = vocabulary(["党务", "党建", "党员", "支部", "组织"], [2, 6, 4, 3, 2], ["dang wu", "dang jian", "dang yuan", "zhi bu", "zu zhi"]);

/** What a suggester holds, as tests compare it. */
function holds(s: Suggester) {
  const x = s as unknown as { titleOrder: Uint32Array; titleRunEnd: Uint32Array };
  return { order: Array.from(x.titleOrder), runEnd: Array.from(x.titleRunEnd), suggest: ["党", "dang", "dj", "zb", "支部", "党建工", "z"].map((q) => s.suggest(q)) };
}

describe("a live segment's suggester", () => {
  it("is the one built over the segment's titles and vocabulary (generated bases, removals and additions)", () => {
    // A small alphabet: many equal titles and shared prefixes.
    const title = fc.array(fc.constantFrom("党", "建", "支", "部", "工", "作", "a"), { minLength: 0, maxLength: 4 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(
        fc.array(title, { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), title), { maxLength: 8 }),
        fc.constantFrom(BASE_VOCABULARY, COUNTS_MOVED, WORD_ADDED),
        (baseTitles, removedFlags, additions, liveVocabulary) => {
          const base = finish(Suggester.building(BASE_VOCABULARY, titleSource(baseTitles)));
          // The segment: the base's kept titles in order, the added ones inserted at generated places.
          const kept = baseTitles.map((t, old) => ({ t, old })).filter((_, old) => !removedFlags[old]);
          const docs: Array<{ t: string; old: number }> = [...kept];
          for (const [at, t] of additions) docs.splice(at % (docs.length + 1), 0, { t, old: -1 });
          const remap = new Int32Array(baseTitles.length).fill(-1);
          docs.forEach((d, doc) => d.old >= 0 && (remap[d.old] = doc));
          const added = Uint32Array.from(docs.flatMap((d, doc) => (d.old < 0 ? [doc] : [])));
          const titles = titleSource(docs.map((d) => d.t));
          const carried = finish(Suggester.carrying(base, liveVocabulary, titles, remap, added));
          const built = finish(Suggester.building(liveVocabulary, titles));
          expect(holds(carried)).toEqual(holds(built));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a carried title order that drops a kept article or places an added one wrongly is not the built one (the comparison sees it)", () => {
    const titles = ["支部", "党建", "党建", "工作"];
    const base = finish(Suggester.building(BASE_VOCABULARY, titleSource(titles)));
    // Article 1 goes, an added "党建" comes at the end: after the kept "党建" (document 1) by its number.
    const now = titleSource(["支部", "党建", "工作", "党建"]);
    const carried = finish(Suggester.carrying(base, BASE_VOCABULARY, now, Int32Array.from([0, -1, 1, 2]), Uint32Array.from([3])));
    expect(holds(carried).order).toEqual([1, 3, 2, 0]);
    expect(holds(carried).runEnd).toEqual([2, 2, 3, 4]);
    expect(holds(carried)).toEqual(holds(finish(Suggester.building(BASE_VOCABULARY, now))));
    // A remap that does not account for every article is refused, not served half-made.
    expect(() => finish(Suggester.carrying(base, BASE_VOCABULARY, now, Int32Array.from([0, -1, -1, 2]), Uint32Array.from([3])))).toThrow(/kept titles/u);
  });
});
