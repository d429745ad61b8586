// Segmentation on worker threads hands its results over a chunk at a time, in
// text order, and a full build takes them as they come: the same words as
// segmenting in one go, and the same generation.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Article } from "@/lib/content/article";
import { buildFull, segmentInProcess, type Segmented, type Segmenter } from "@/lib/search/generation";
import { chunkBounds, parallelSegmenter } from "@/lib/search/segment-parallel";

/** Team-written sentences, combined into 2,400 texts of varied length (the workers start at 2,000). */
const SENTENCES = [
  "支部委员会召开组织生活会，党员逐一开展批评和自我批评。",
  "社区党组织把“三会一课”同志愿服务结合起来，群众反映很好。",
  "黨風廉政建設責任制落實到每一個支部。",
  "2024年第一季度，全体党员参加了主题党日活动。",
  "驻村第一书记带领村民修通了进山的道路。",
  "学习二十大报告，交流心得体会。",
];
const texts = Array.from({ length: 2400 }, (_, i) => Array.from({ length: 1 + (i % 7) }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join("\n"));

describe("segmentation on worker threads", () => {
  it("cuts the texts into ranges of about equal characters that cover them in order", () => {
    const bounds = chunkBounds(texts, 64);
    expect(bounds).toHaveLength(64);
    expect(bounds[0][0]).toBe(0);
    expect(bounds.at(-1)![1]).toBe(texts.length);
    for (let i = 1; i < bounds.length; i++) expect(bounds[i][0]).toBe(bounds[i - 1][1]);
    const chars = bounds.map(([a, b]) => texts.slice(a, b).reduce((n, t) => n + t.length, 0));
    const mean = chars.reduce((a, b) => a + b, 0) / chars.length;
    for (const c of chars) expect(Math.abs(c - mean)).toBeLessThan(mean * 0.1);
    expect(chunkBounds(["一", "二"], 64)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(chunkBounds([], 4)).toEqual([[0, 0]]);
  });

  it("hands every text over once, in order, a chunk at a time, with the words of one in-process cut", async () => {
    const handed: Array<[number, number]> = [];
    const got: string[][] = [];
    const whole = await parallelSegmenter(2)(texts, (from, part) => {
      handed.push([from, part.words.length]);
      got.push(...part.words);
    });
    expect(handed.length).toBeGreaterThan(2);
    let next = 0;
    for (const [from, count] of handed) {
      expect(from).toBe(next);
      next += count;
    }
    expect(next).toBe(texts.length);
    const alone = await segmentInProcess(texts);
    expect(got).toEqual(alone.words);
    expect(whole.words).toEqual(alone.words);
    expect(whole.terms).toHaveLength(texts.length);
  });
});

describe("a full build while segmentation runs", () => {
  const articles: Article[] = texts.slice(0, 40).map((t, i) => ({
    id: `p-${i}`,
    title: t.split("\n")[0].slice(0, 12),
    authors: [],
    source: null,
    date: null,
    url: null,
    tags: [],
    paragraphs: t.split("\n"),
    script: "Simplified",
    contentHash: createHash("sha256").update(t).digest("hex"),
    origin: `p-${i}.md`,
    warnings: [],
  }));

  it("gives the same word layer and aids whether the words come in ranges or all at the end", async () => {
    const inRanges: Segmenter = async (all, onBatch) => {
      const r = await segmentInProcess(all);
      for (let a = 0; a < all.length; a += 7) onBatch?.(a, { words: r.words.slice(a, a + 7), terms: null });
      return r;
    };
    const [a, b] = await Promise.all([buildFull(articles, segmentInProcess), buildFull(articles, inRanges)]);
    const [wa, wb] = await Promise.all([a.words, b.words]);
    expect(wb.newSegments[0].words).toEqual(wa.newSegments[0].words);
    expect([...(await b.aids).df]).toEqual([...(await a.aids).df]);
    expect((await b.aids).aids.keywords).toEqual((await a.aids).aids.keywords);
  });

  it("refuses ranges out of order, and a failed segmentation fails the words and aids without an unhandled rejection", async () => {
    const outOfOrder: Segmenter = async (all, onBatch) => {
      const r = await segmentInProcess(all);
      onBatch?.(5, { words: r.words.slice(5), terms: null });
      return r;
    };
    await expect((await buildFull(articles, outOfOrder)).words).rejects.toThrow(/handed over documents from 5, expected 0/u);
    const failing: Segmenter = async () => {
      throw new Error("jieba went away");
    };
    const gen = await buildFull(articles, failing);
    await expect(gen.words).rejects.toThrow(/jieba went away/u);
    // gen.aids is never awaited here: vitest fails the run on an unhandled rejection.
    await new Promise((r) => setTimeout(r, 50));
  });
});
