// Segmentation on worker threads (the index build): the threads also count the
// words' document frequencies, and the main thread only adds them up. The sum
// must be documentFrequencies over all the words, in its order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { documentFrequencies } from "@/lib/search/reader-aids/reader-aids";
import { parallelSegmenter, pooledSegmenter } from "@/lib/search/build/segmentation-pool";
import { decodeBatch, encodeBatch, encodeSegmented, joinSegmented } from "@/lib/search/build/segmentation-wire";
import { normalize } from "@/lib/text/normalize";
import { syntheticArticles } from "../helpers/synthetic";

describe("document frequencies counted per batch", () => {
  it("add up to documentFrequencies over all the words, in its order, however the texts are split", () => {
    const word = fc.constantFrom("党建", "工作", "学习", "三会一课", "的", "2018", "𠀋", "a b");
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 12 }), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 4 }), (lists, cuts) => {
        const words = lists.map((l) => l.flatMap((w) => w.split(" ")));
        const at = [...new Set(cuts.map((c) => c % (words.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...at, words.length];
        const batches = bounds.slice(1).map((end, i) => {
          const slice = words.slice(bounds[i], end);
          return encodeBatch(slice.map((w) => encodeSegmented(w, { terms: [], weights: [] })), slice);
        });
        const decoded = joinSegmented(batches.map(decodeBatch));
        expect([...decoded.df!]).toEqual([...documentFrequencies(words)]);
        expect(decoded.words).toEqual(words);
        expect(decoded.joined).toEqual(words.map((w) => w.join(" ")));
      }),
      { numRuns: 500 },
    );
  });

  it("on two worker threads: the same words and frequencies as segmenting in this process, handed over run by run in order", async () => {
    const texts = syntheticArticles(2500, 7).map((a) => normalize(`${a.title}\n${a.body}`));
    const runs: Array<[number, string[][]]> = [];
    const threads = await parallelSegmenter(2)(texts, (from, part) => runs.push([from, part.words]));
    const here = await segmentInProcess(texts);
    // At least two runs per thread, each starting where the one before ended, together all the texts.
    expect(runs.length).toBeGreaterThanOrEqual(4);
    let next = 0;
    for (const [from, words] of runs) {
      expect(from).toBe(next);
      expect(words).toEqual(here.words.slice(from, from + words.length));
      next += words.length;
    }
    expect(next).toBe(texts.length);
    expect(threads.words).toEqual(here.words);
    expect(threads.joined).toEqual(here.words.map((w) => w.join(" ")));
    expect([...threads.df!]).toEqual([...documentFrequencies(here.words)]);
  }, 60_000);

  it("on a pool kept across calls (a build in ranges): each call's words and frequencies as in this process, runs in order; a second call at once is refused", async () => {
    const texts = syntheticArticles(1200, 9).map((a) => normalize(`${a.title}\n${a.body}`));
    const pool = pooledSegmenter(2);
    try {
      for (const range of [texts.slice(0, 500), texts.slice(500, 1100), texts.slice(1100)]) {
        const runs: number[] = [];
        const got = await pool(range, (from, part) => runs.push(from, from + part.words.length));
        const here = await segmentInProcess(range);
        expect(got.words).toEqual(here.words);
        expect(got.joined).toEqual(here.words.map((w) => w.join(" ")));
        expect([...got.df!]).toEqual([...documentFrequencies(here.words)]);
        expect(runs[0]).toBe(0);
        expect(runs.at(-1)).toBe(range.length);
        for (let k = 2; k < runs.length; k += 2) expect(runs[k]).toBe(runs[k - 1]);
      }
      const first = pool(texts.slice(0, 300));
      await expect(pool(texts.slice(300, 400))).rejects.toThrow(/called again before its last call was done/u);
      expect((await first).words).toHaveLength(300);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
