// The word layer adds words straight into FlexSearch's map (lib/search/word-index.ts)
// instead of through Index.add: what it saves must be exactly what FlexSearch's own
// add would have saved, and it must find the same documents.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { Index } from "flexsearch";
import { describe, expect, it } from "vitest";
import { asciiJson, WORD_INDEX_OPTIONS, WordIndex, wordEntryText } from "@/lib/search/word-index";

/** FlexSearch's own path, as the word layer used it before. */
class Reference {
  private pending: string[] = [];
  readonly index = new Index<false, false, true>({ ...WORD_INDEX_OPTIONS, encode: () => this.pending });
  add(doc: number, words: readonly string[]) {
    if (words.length === 0) return;
    this.pending = [...new Set(words)];
    this.index.add(doc, "-");
    this.pending = [];
  }
  ids(word: string) {
    this.pending = [word];
    const ids = this.index.search("-", { limit: 1000 });
    this.pending = [];
    return ids;
  }
}

async function exported(index: { export: Index["export"] }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await index.export((key: string, data: string) => {
    out[key] = data;
  });
  return out;
}

async function saved(w: WordIndex): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "word-index-"));
  await w.save(dir);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
}

const vocabulary = ["党建", "工作", "学习", "三会一课", "主题教育", "2018", "", "马克", "马克思", "党支部"];
const docsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 })), { maxLength: 40 });

describe("the word layer's direct add", () => {
  it("saves exactly what FlexSearch's add saves, and finds the same ids (generated documents, ids repeated too)", async () => {
    await fc.assert(
      fc.asyncProperty(docsArb, async (docs) => {
        const w = new WordIndex();
        const ref = new Reference();
        for (const [doc, words] of docs) {
          w.add(doc, words);
          ref.add(doc, words);
        }
        // Written in ASCII (words as \u escapes): the same JSON values, byte for byte FlexSearch's text otherwise.
        const files = await saved(w);
        const reference = await exported(ref.index);
        expect(files).toEqual(Object.fromEntries(Object.entries(reference).map(([k, v]) => [k, asciiJson(v)])));
        for (const [k, v] of Object.entries(files)) {
          expect(/^[\x00-\x7f]*$/u.test(v)).toBe(true);
          expect(JSON.parse(v)).toEqual(JSON.parse(reference[k]));
        }
        for (const word of vocabulary.filter(Boolean)) {
          expect(w.ids(word)).toEqual(ref.ids(word));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("loads entries saved in ASCII and entries saved as UTF-8 (before asciiJson) alike", async () => {
    const w = new WordIndex();
    w.add(3, ["党建", "𠀋字", "2018"]);
    w.add(7, ["党建", "工作"]);
    const entries = await w.entries();
    const fromAscii = await WordIndex.fromFiles(entries.map(([k, v]) => [k, wordEntryText(Buffer.from(v, "utf8"))]), 2);
    const fromUtf8 = await WordIndex.fromFiles(entries.map(([k, v]) => [k, wordEntryText(Buffer.from(JSON.stringify(JSON.parse(v)), "utf8"))]), 2);
    for (const index of [fromAscii, fromUtf8]) {
      expect([...index.vocabulary()]).toEqual(["党建", "𠀋字", "2018", "工作"]);
      expect(index.ids("党建")).toEqual([3, 7]);
      expect(index.ids("𠀋字")).toEqual([3]);
    }
  });

  it("keeps the first-seen order of words and ids", async () => {
    const w = new WordIndex();
    w.add(5, ["乙", "甲", "乙"]);
    w.add(2, ["甲", "丙"]);
    w.add(9, []);
    expect([...w.vocabulary()]).toEqual(["乙", "甲", "丙"]);
    expect(w.ids("甲")).toEqual([5, 2]);
    expect(w.docCount).toBe(3);
  });
});
