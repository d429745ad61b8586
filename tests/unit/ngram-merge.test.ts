import { promises as fs, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeNgramFile, NgramIndex } from "@/lib/search/formats/ngram-index";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "ngram-merge-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

// Texts over a small alphabet (with the separators the index breaks on), so n-grams repeat across documents.
const text = fc.array(fc.constantFrom("党", "建", "工", "作", "学", "习", "a", "1", " ", "\n"), { maxLength: 12 }).map((cs) => cs.join(""));

describe("mergeNgramFile", () => {
  it("writes exactly the file a full build of the new documents writes, for any removals, additions and buffer size", () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ text, keep: fc.boolean() }), { maxLength: 25 }),
        fc.array(fc.record({ text, at: fc.nat() }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (old, additions, chunk) => {
          // The new order: kept old documents in their order, additions inserted at chosen places.
          const next: Array<{ text: string; old?: number }> = [];
          old.forEach((d, i) => d.keep && next.push({ text: d.text, old: i }));
          for (const a of additions) next.splice(a.at % (next.length + 1), 0, { text: a.text });
          const remap = new Int32Array(old.length).fill(-1);
          next.forEach((d, doc) => d.old !== undefined && (remap[d.old] = doc));
          const addedDocs = Uint32Array.from(next.flatMap((d, doc) => (d.old === undefined ? [doc] : [])));
          const base = path.join(dir, `base-${run}.bin`);
          const merged = path.join(dir, `merged-${run++}.bin`);
          writeFileSync(base, NgramIndex.build(old.map((d) => d.text)).serialize());
          mergeNgramFile(
            base,
            merged,
            {
              remap,
              added: NgramIndex.build(Array.from(addedDocs, (doc) => next[doc].text)),
              addedDocs,
              removed: NgramIndex.build(old.filter((d) => !d.keep).map((d) => d.text)),
            },
            chunk,
          );
          expect(readFileSync(merged).equals(NgramIndex.build(next.map((d) => d.text)).serialize())).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("NgramIndex.open (postings left in the file)", () => {
  // Every term over the alphabet up to three characters long, and each gram's rows.
  const alphabet = ["党", "建", "工", "作", "学", "习", "a", "1", " "];
  const terms = alphabet.flatMap((a) => [a, ...alphabet.flatMap((b) => [a + b, ...alphabet.map((c) => a + b + c)])]);

  it("answers every lookup as the index held in memory does, for any texts", () => {
    let run = 0;
    fc.assert(
      // How many documents a key may have and stay in memory, and the read buffer's size (any, down to one value).
      fc.property(fc.array(text, { maxLength: 30 }), fc.constantFrom(0, 1, 2, 5, Infinity), fc.integer({ min: 1, max: 64 }), (texts, heldUpTo, chunk) => {
        const built = NgramIndex.build(texts);
        const file = path.join(dir, `open-${run++}.bin`);
        writeFileSync(file, built.serialize());
        const opened = NgramIndex.open(file, heldUpTo, chunk);
        const held = NgramIndex.deserialize(readFileSync(file), file);
        expect(opened.size).toEqual(held.size);
        for (const term of terms) {
          expect(Array.from(opened.candidates(term))).toEqual(Array.from(held.candidates(term)));
          const a = new Uint8Array(texts.length).fill(7);
          const b = new Uint8Array(texts.length).fill(7);
          opened.frequenciesOf(term, a);
          held.frequenciesOf(term, b);
          expect(Array.from(a)).toEqual(Array.from(b));
        }
        const rows = (index: NgramIndex) => {
          const out: unknown[] = [];
          index.forEachGram((key, docs, freqs) => out.push([key, Array.from(docs), Array.from(freqs)]));
          return out;
        };
        expect(rows(opened)).toEqual(rows(held));
      }),
      { numRuns: 80 },
    );
  });

  it("refuses a file that is not an index or is cut short, naming it, and cannot be serialized", () => {
    const file = path.join(dir, "short.bin");
    const bytes = NgramIndex.build(["党建工作", "学习"]).serialize();
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    expect(() => NgramIndex.open(file)).toThrow(`${file} is truncated`);
    writeFileSync(file, Buffer.from("not an index at all"));
    expect(() => NgramIndex.open(file)).toThrow(`${file} is not an n-gram index`);
    writeFileSync(file, bytes);
    expect(() => NgramIndex.open(file).serialize()).toThrow("copy the file instead");
  });
});
