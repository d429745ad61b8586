// The word layer adds words straight into FlexSearch's map (lib/search/formats/word-index.ts)
// instead of through Index.add: what it saves must be exactly what FlexSearch's own
// add would have saved, and it must find the same documents.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { Index } from "flexsearch";
import { describe, expect, it } from "vitest";
import { WORD_INDEX_OPTIONS, WORDS_FILE, WordIndex } from "@/lib/search/formats/word-index";

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

/** What a saved and loaded segment holds, as FlexSearch itself exports it. */
async function savedAndLoaded(w: WordIndex): Promise<{ loaded: WordIndex; files: string[]; exported: Record<string, string> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "word-index-"));
  await w.save(dir);
  const files = readdirSync(dir);
  const loaded = await WordIndex.fromFiles(files.map((f) => [f, readFileSync(path.join(dir, f))]), w.docCount, dir);
  return { loaded, files, exported: await exported((loaded as unknown as { index: Index }).index) };
}

const vocabulary = ["党建", "工作", "学习", "三会一课", "主题教育", "2018", "", "马克", "马克思", "党支部"];
const docsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 })), { maxLength: 40 });

describe("the word layer's direct add", () => {
  it("saves what loads back into exactly FlexSearch's own add's index, and finds the same ids (generated documents, ids repeated too)", async () => {
    await fc.assert(
      fc.asyncProperty(docsArb, async (docs) => {
        const w = new WordIndex();
        const ref = new Reference();
        for (const [doc, words] of docs) {
          w.add(doc, words);
          ref.add(doc, words);
        }
        // Saved as one binary file, loaded back into exactly the map and register FlexSearch's own add makes.
        const { loaded, files, exported: fromLoaded } = await savedAndLoaded(w);
        expect(files).toEqual([WORDS_FILE]);
        expect(fromLoaded).toEqual(await exported(ref.index));
        for (const word of vocabulary.filter(Boolean)) expect(loaded.ids(word)).toEqual(ref.ids(word));
        for (const word of vocabulary.filter(Boolean)) {
          expect(w.ids(word)).toEqual(ref.ids(word));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("loads segments saved as FlexSearch's export (before words.bin: JSON in UTF-8, or in ASCII) as the binary file", async () => {
    const w = new WordIndex();
    w.add(3, ["党建", "𠀋字", "2018"]);
    w.add(7, ["党建", "工作"]);
    const legacy: Array<[string, string]> = [];
    await (w as unknown as { index: Index }).index.export((key: string, data: string) => {
      legacy.push([key, data]);
    });
    const ascii = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const fromUtf8 = await WordIndex.fromFiles(legacy.map(([k, v]) => [k, Buffer.from(v, "utf8")]), 2);
    const fromAscii = await WordIndex.fromFiles(legacy.map(([k, v]) => [k, Buffer.from(ascii(v), "latin1")]), 2);
    const fromBinary = await WordIndex.fromFiles(await w.entries(), 2);
    for (const index of [fromUtf8, fromAscii, fromBinary]) {
      expect([...index.vocabulary()]).toEqual(["党建", "𠀋字", "2018", "工作"]);
      expect(index.ids("党建")).toEqual([3, 7]);
      expect(index.ids("𠀋字")).toEqual([3]);
    }
  });

  it("refuses a binary file that is not one, naming it: another file, a changed byte, cut short, an id that is not a serial", async () => {
    const w = new WordIndex();
    for (let doc = 0; doc < 50; doc++) w.add(doc, ["党建", `词${doc % 7}`, "工作"]);
    const [[key, bytes]] = await w.entries();
    const load = (b: Uint8Array) => WordIndex.fromFiles([[key, b]], 50, "/idx/segments/s1/flex");
    await expect(load(Buffer.from("[1,2,3]"))).rejects.toThrow(/\/idx\/segments\/s1\/flex\/words\.bin: not a saved word index \(no FLEXMAP1 header\)/u);
    const changed = Buffer.from(bytes);
    changed[changed.length - 5] ^= 1;
    await expect(load(changed)).rejects.toThrow(/words\.bin: .*checksum mismatch/u);
    await expect(load(bytes.subarray(0, bytes.length - 4))).rejects.toThrow(/words\.bin: .*bytes, the header says/u);
    const shifted = Buffer.alloc(bytes.length + 1);
    Buffer.from(bytes).copy(shifted, 1);
    expect((await load(shifted.subarray(1))).ids("党建")).toHaveLength(50);
    const strings = new WordIndex();
    ((strings as unknown as { index: Index }).index as unknown as { map: Map<string, unknown[][]> }).map.set("x", [["doc-a"]]);
    await expect(strings.entries()).rejects.toThrow(/is not a u32/u);
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
