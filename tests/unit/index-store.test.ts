import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { JiebaCutter } from "@/lib/text/jieba-cut";
import { jiebaFiles } from "@/lib/text/segment";
import { buildFull } from "@/lib/search/build/full";
import { type Generation } from "@/lib/search/formats/generation";
import { acquireLock, incrementalBase, loadGeneration, openIndex, readCurrent, saveGeneration } from "@/lib/search/storage/disk-store";
import type { SearchRequest } from "@/lib/search/engine/types";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { articleOffsets, withFlippedCharacter } from "../helpers/damage";
import { answers } from "../helpers/query-set";
import { searchIndexOfBuild } from "@/lib/search/build/in-memory";

let dir: string;
let gen: Generation;
let built: SearchIndex;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 20 };
const runTsx = (args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
const currentBuild = () => path.join(dir, "builds", readCurrent(dir)!);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "index-store-"));
  gen = await buildFull(searchFixtureArticles());
  built = await searchIndexOfBuild(gen);
  await saveGeneration(dir, gen);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("a saved generation", () => {
  it("answers exactly like the index that was just built, when loaded in a fresh process (queries cut with the saved segmenter, and with jieba's files)", () => {
    const expected = JSON.parse(JSON.stringify(answers(built)));
    expect(JSON.parse(runTsx(["tests/helpers/answer-queries.ts"], { INDEX_DIR: dir }))).toEqual(expected);
    expect(JSON.parse(runTsx(["tests/helpers/answer-queries.ts"], { INDEX_DIR: dir, SAVED_SEGMENTER: "0" }))).toEqual(expected);
  }, 60_000);

  it("carries the query segmenter's tables, listed in the manifest (so a changed size refuses the generation)", async () => {
    const file = path.join(currentBuild(), "query-segmenter.bin");
    const manifest = JSON.parse(await fs.readFile(path.join(currentBuild(), "manifest.json"), "utf8"));
    expect(manifest.files["build/query-segmenter.bin"]).toBe((await fs.stat(file)).size);
    const s = "我们认真开展三会一课和主题教育，2018年甄文明发言";
    expect(new JiebaCutter({ tables: await fs.readFile(file), where: file }).cut(s)).toEqual(new JiebaCutter(jiebaFiles()).cut(s));
  });

  it("keeps the previous generation whole and current when a new build is interrupted", async () => {
    const before = readCurrent(dir);
    // A crash mid-build leaves a partial folder and no pointer change.
    await fs.mkdir(path.join(dir, "builds", "crashed.partial"), { recursive: true });
    await fs.writeFile(path.join(dir, "builds", "crashed.partial", "ngrams.bin"), "half");
    expect(readCurrent(dir)).toBe(before);
    const loaded = await openIndex(dir);
    expect(loaded.search({ ...base, q: "党建" }).total).toBe(built.search({ ...base, q: "党建" }).total);
  });

  it("replaces the pointer only after the new generation is complete, keeps the previous one and cleans up the rest", async () => {
    const first = readCurrent(dir)!;
    const small = await buildFull(searchFixtureArticles().slice(0, 3));
    const second = (await saveGeneration(dir, small)).name;
    expect((await openIndex(dir)).size).toBe(3);
    const third = (await saveGeneration(dir, gen)).name;
    expect(readCurrent(dir)).toBe(third);
    expect((await fs.readdir(path.join(dir, "builds"))).sort()).toEqual([second, third].sort());
    expect(await fs.readdir(path.join(dir, "segments"))).toHaveLength(2);
    expect(first).not.toBe(third);
  });

  it("is refused when it was built with other rules, naming the file", async () => {
    const manifestPath = path.join(currentBuild(), "manifest.json");
    const manifest = JSON.parse(await fs.readFile(manifestPath, "utf8"));
    await fs.writeFile(manifestPath, JSON.stringify({ ...manifest, normalizationVersion: 0 }));
    await expect(openIndex(dir)).rejects.toThrow(/manifest\.json: built with normalizationVersion 0/);
    await fs.writeFile(manifestPath, JSON.stringify(manifest));
  });

  it("is refused when a file is truncated or corrupt, naming the file", async () => {
    const ngrams = path.join(currentBuild(), "ngrams.bin");
    const bytes = await fs.readFile(ngrams);
    await fs.writeFile(ngrams, bytes.subarray(0, bytes.length - 10));
    await expect(openIndex(dir)).rejects.toThrow(/ngrams\.bin has \d+ bytes, the manifest says/);
    const garbage = Buffer.from(bytes);
    garbage.fill(7, 0, 16);
    await fs.writeFile(ngrams, garbage);
    await expect(openIndex(dir)).rejects.toThrow(/ngrams\.bin is not an n-gram index/);
    await fs.writeFile(ngrams, bytes);
    const articles = path.join(currentBuild(), "articles.utf16.json");
    const text = await fs.readFile(articles);
    await fs.writeFile(articles, Buffer.alloc(text.length, 0x41));
    await expect(openIndex(dir)).rejects.toThrow(/articles\.utf16\.json: article 0 does not match its checksum/);
    // Damage in the middle, same size, the JSON still valid (one character turned into its
    // neighbour): the load reads only the first and last article, so it loads; reading that
    // article, and warming (which reads every one), reject naming the file and the article (the
    // server then refuses the generation: tests/server/live-swap.test.ts).
    const offsets = await articleOffsets(currentBuild());
    const middle = Math.floor(offsets.length / 4);
    await fs.writeFile(articles, withFlippedCharacter(text, offsets, middle));
    const loaded = await openIndex(dir);
    expect(() => loaded.body(middle)).toThrow(new RegExp(`articles\\.utf16\\.json: article ${middle} does not match its checksum`));
    await expect(loaded.warmTexts(3)).rejects.toThrow(new RegExp(`article ${middle} does not match its checksum`));
    // A generation written before articles had checksums is read unchecked; warming still finds what is not JSON.
    const manifestPath = path.join(currentBuild(), "manifest.json");
    const manifest = await fs.readFile(manifestPath, "utf8");
    const { "build/articles.crc32": _, ...files } = JSON.parse(manifest).files;
    await fs.writeFile(manifestPath, JSON.stringify({ ...JSON.parse(manifest), files }));
    await (await openIndex(dir)).warmTexts(3);
    const broken = Buffer.from(text);
    broken.write("#", offsets[2 * middle] * 2, "utf16le");
    await fs.writeFile(articles, broken);
    await expect((await openIndex(dir)).warmTexts(3)).rejects.toThrow(new RegExp(`articles\\.utf16\\.json: not valid JSON \\(article ${middle}: `));
    await fs.writeFile(manifestPath, manifest);
    await fs.writeFile(articles, text);
    await (await openIndex(dir)).warmTexts(3);
    expect((await openIndex(dir)).size).toBe(built.size);
  });

  it("reads bodies on demand from a catalog, and still loads a generation written before catalogs listed the articles", async () => {
    const catalogPath = path.join(currentBuild(), "catalog.json");
    const catalog = JSON.parse(await fs.readFile(catalogPath, "utf8"));
    // Each entry is an article without its body, with the body's length.
    expect(catalog.articles).toHaveLength(built.size);
    expect(catalog.articles[0]).not.toHaveProperty("paragraphs");
    expect(catalog.articles[0].bodyChars).toBe(gen.articles![0].paragraphs.reduce((n, p) => n + p.length + 1, 0));
    const onDemand = await openIndex(dir);
    expect(onDemand.articles[0]).not.toHaveProperty("paragraphs");
    expect(answers(onDemand)).toEqual(answers(built));
    // Older generations: no entries, so the article file is parsed whole, with the same answers; the next run builds in full.
    const { articles, ...older } = catalog;
    const manifestPath = path.join(currentBuild(), "manifest.json");
    const manifest = await fs.readFile(manifestPath, "utf8");
    const olderText = JSON.stringify(older);
    await fs.writeFile(catalogPath, olderText);
    await fs.writeFile(manifestPath, JSON.stringify({ ...JSON.parse(manifest), files: { ...JSON.parse(manifest).files, "build/catalog.json": Buffer.byteLength(olderText) } }));
    const whole = await openIndex(dir);
    expect(whole.articles[0]).toHaveProperty("paragraphs");
    expect(answers(whole)).toEqual(answers(built));
    expect(await incrementalBase(dir)).toEqual({ reason: expect.stringMatching(/catalog\.json has no article entries/) });
    await fs.writeFile(catalogPath, JSON.stringify(catalog));
    await fs.writeFile(manifestPath, manifest);
    expect(await incrementalBase(dir)).toHaveProperty("previous");
  });

  it("is refused when its manifest is missing (half-written)", async () => {
    const name = readCurrent(dir)!;
    await fs.cp(currentBuild(), path.join(dir, "builds", "half"), { recursive: true });
    await fs.rm(path.join(dir, "builds", "half", "manifest.json"));
    await expect(loadGeneration(dir, { name: "half" })).rejects.toThrow(/half\/manifest\.json: missing/);
    expect(readCurrent(dir)).toBe(name);
  });

  it("says what to do when there is no index", async () => {
    await expect(openIndex(path.join(dir, "missing"))).rejects.toThrow(/no index in .*run npm run index/);
  });
});

describe("the index lock", () => {
  it("keeps a second index run out while the first holds it, and is taken over from a run that died", async () => {
    const release = await acquireLock(dir);
    const lock = path.join(dir, "LOCK");
    // Another live process holds it: this test's parent (the test runner) stands in.
    await fs.writeFile(lock, String(process.ppid));
    await expect(acquireLock(dir)).rejects.toThrow(/another index run \(pid \d+\) holds/);
    // A pid that no longer runs: the lock is stale.
    await fs.writeFile(lock, "2147483646");
    const again = await acquireLock(dir);
    await again();
    await release();
    await expect(fs.stat(lock)).rejects.toThrow();
  });
});

describe("npm run search", () => {
  it("prints results from the built index, as JSON for scripts", () => {
    const out = JSON.parse(runTsx(["scripts/search.ts", "--json", "--author", "陈志明", "--from", "2020", "黨建"], { INDEX_DIR: dir }));
    expect(out.hits.map((h: { id: string }) => h.id)).toEqual(["simp-branch"]);
    expect(out.query.words).toEqual(["党建"]);
  }, 60_000);
});
