// Live changes carry the library-wide arrays (related articles, repost
// groups) only where they differ from the base's, renumbered: a server puts
// the whole arrays back from its base. Any array, any renumbering: what the
// server rebuilds is what the writer had, through the stored form too.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLiveChanges, encodeLiveChanges, LIVE_CHANGES_VERSION, livePatch, liveRemap, patchedArray, type LiveChanges } from "@/lib/search/formats/live-changes";
import { patchedVocabulary } from "@/lib/search/engine/live-segment";
import { RELATED, type Vocabulary } from "@/lib/search/reader-aids/reader-aids";

/** The vocabulary patch as a plain merge of two sorted lists (what a server did before it searched for the words). */
function mergedVocabulary(base: Vocabulary, change: LiveChanges["vocabulary"]): Vocabulary {
  const drop = new Set(change.drop);
  const set = new Map(change.set.map(([w, df, py]) => [w, [df, py] as const]));
  const incoming = [...set.keys()].sort();
  const words: string[] = [];
  const df: number[] = [];
  const pinyin: string[] = [];
  let k = 0;
  for (let i = 0; i <= base.words.length; i++) {
    const w = i < base.words.length ? base.words[i] : null;
    while (k < incoming.length && (w === null || incoming[k] < w)) {
      const [d, p] = set.get(incoming[k])!;
      words.push(incoming[k++]), df.push(d), pinyin.push(p);
    }
    if (w === null) break;
    if (k < incoming.length && incoming[k] === w) {
      const [d, p] = set.get(incoming[k++])!;
      words.push(w), df.push(d), pinyin.push(p);
    } else if (!drop.has(w)) words.push(w), df.push(base.df[i]), pinyin.push(base.pinyin[i]);
  }
  return { words, df: Uint32Array.from(df), pinyin };
}

/** A base of `baseCount` documents, some removed, some added: the renumbering and each new document's old one. */
const library = fc
  .record({ baseCount: fc.integer({ min: 1, max: 40 }), removedBits: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), addedBits: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }) })
  .map(({ baseCount, removedBits, addedBits }) => {
    const removed = [...Array(baseCount).keys()].filter((old) => removedBits[old] && old % 3 === 0);
    const n0 = baseCount - removed.length;
    const added: Array<{ doc: number }> = [];
    let n = n0;
    for (let doc = 0; doc < n0 + added.length + 1 && doc < 60; doc++) if (addedBits[doc] && doc <= n) (added.push({ doc }), n++);
    const remap = liveRemap(baseCount, removed, added, n);
    const oldOf = new Int32Array(n).fill(-1);
    remap.forEach((doc, old) => doc >= 0 && (oldOf[doc] = old));
    return { baseCount, removed, added, n, remap, oldOf };
  });

describe("live patches of the library-wide arrays", () => {
  it("give back the writer's arrays on any renumbering, kept documents mostly carried", () => {
    fc.assert(
      fc.property(library, fc.array(fc.integer({ min: -1, max: 1000 }), { minLength: 40 * RELATED, maxLength: 40 * RELATED }), fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (lib, raw, changes) => {
        const { baseCount, n, remap, oldOf } = lib;
        for (const stride of [RELATED, 1]) {
          const base = Int32Array.from(raw.slice(0, baseCount * stride), (v) => (v < 0 ? -1 : v % baseCount));
          // The writer's arrays: each kept document's carried values, some changed; added documents' their own.
          const full = new Int32Array(n * stride);
          for (let doc = 0; doc < n; doc++)
            for (let k = 0; k < stride; k++) {
              const old = oldOf[doc];
              const carried = old < 0 || base[old * stride + k] < 0 ? -1 : remap[base[old * stride + k]];
              full[doc * stride + k] = old < 0 || changes[doc] % 4 === 0 ? (changes[doc] + k) % n : carried;
            }
          const patch = livePatch(full, base, oldOf, remap, stride);
          expect(patchedArray(patch, base, oldOf, remap, stride)).toEqual(full);
          // Only the documents that differ are carried in the patch.
          for (const doc of patch.docs) expect(oldOf[doc] < 0 || changes[doc] % 4 === 0).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("round-trip through the stored form, and refuse a patch naming articles the library has not", () => {
    const changes: LiveChanges = {
      version: LIVE_CHANGES_VERSION,
      base: "g",
      seq: 3,
      articles: 4,
      chars: 10,
      removed: [],
      added: [],
      changed: 0,
      deleted: 0,
      related: { docs: Int32Array.from([1, 3]), values: Int32Array.from([0, 2, -1, -1, -1, 1, -1, -1, -1, -1]) },
      groupOf: { docs: Int32Array.from([2]), values: Int32Array.from([0]) },
      vocabulary: { set: [], drop: [] },
      withdrawn: [],
      synonyms: [],
      at: "2026-12-07T00:00:00.000Z",
    };
    const text = encodeLiveChanges(changes);
    expect(text.startsWith(`{"version":${LIVE_CHANGES_VERSION},"base":"g","seq":3,`)).toBe(true);
    expect(decodeLiveChanges(text, "live.json")).toEqual(changes);
    const bad = { ...changes, related: { docs: Int32Array.from([1]), values: Int32Array.from([9, -1, -1, -1, -1]) } };
    expect(() => decodeLiveChanges(encodeLiveChanges(bad), "live.json")).toThrow(/live.json: related articles name article 9 of 4/u);
    const unordered = { ...changes, groupOf: { docs: Int32Array.from([2, 1]), values: Int32Array.from([0, 0]) } };
    expect(() => decodeLiveChanges(encodeLiveChanges(unordered), "live.json")).toThrow(/live.json: repost groups out of order at 1/u);
  });

  it("patch the vocabulary as a merge of the sorted lists would, words new, changed and gone anywhere", () => {
    const word = fc.array(fc.constantFrom("党", "建", "a", "支部", "z", "工"), { minLength: 1, maxLength: 3 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 30 }), fc.array(fc.tuple(word, fc.nat(50)), { maxLength: 12 }), fc.array(word, { maxLength: 12 }), (raw, setRaw, drop) => {
        const words = [...raw].sort();
        const base: Vocabulary = { words, df: Uint32Array.from(words, (_, i) => i + 1), pinyin: words.map((w) => `p${w}`) };
        const change = { set: setRaw.map(([w, d]): [string, number, string] => [w, d, `q${w}`]), drop };
        expect(patchedVocabulary(base, change)).toEqual(mergedVocabulary(base, change));
      }),
      { numRuns: 500 },
    );
  });
});
