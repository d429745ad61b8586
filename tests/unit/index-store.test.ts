import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine";
import type { SearchRequest } from "@/lib/search/types";
import { searchFixtureArticles } from "../fixtures/search-articles";

let dir: string;
let built: SearchIndex;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 20 };
const REQUESTS: SearchRequest[] = [
  { ...base, q: "党建" },
  { ...base, q: "黨建工作創新" },
  { ...base, q: '"全面从严治党" -纪律' },
  { ...base, q: "茶产业 | 贫困" },
  { ...base, q: "马克" },
  { ...base, q: "灯" },
  { ...base, q: "", authors: ["陳志明"] },
  { ...base, q: "党", sort: "oldest", page: 2, size: 3 },
  { ...base, q: "", from: "2019-01-01", to: "2021-12-31", sort: "newest" },
];
const runTsx = (args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "index-store-"));
  built = await SearchIndex.build(searchFixtureArticles());
  await built.save(dir);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("a saved index", () => {
  it("answers exactly like the index that was just built, when loaded in a fresh process", () => {
    const fresh = JSON.parse(runTsx(["tests/helpers/answer-queries.ts", JSON.stringify(REQUESTS)], { INDEX_DIR: dir }));
    const now = REQUESTS.map((r) => ({ ...built.search(r), tookMs: 0 }));
    expect(fresh).toEqual(now);
  }, 60_000);

  it("keeps the previous index whole and current when a new build is interrupted", async () => {
    const before = await fs.readFile(path.join(dir, "CURRENT"), "utf8");
    // A crash mid-build leaves a partial folder and no pointer change.
    await fs.mkdir(path.join(dir, "builds", "crashed.partial"), { recursive: true });
    await fs.writeFile(path.join(dir, "builds", "crashed.partial", "ngrams.bin"), "half");
    expect(await fs.readFile(path.join(dir, "CURRENT"), "utf8")).toBe(before);
    const loaded = await SearchIndex.load(dir);
    expect(loaded.search({ ...base, q: "党建" }).total).toBe(built.search({ ...base, q: "党建" }).total);
  });

  it("replaces the pointer only after the new build is complete, and cleans up old builds", async () => {
    const next = await SearchIndex.build(searchFixtureArticles().slice(0, 3));
    await next.save(dir);
    const builds = await fs.readdir(path.join(dir, "builds"));
    expect(builds).toEqual([(await fs.readFile(path.join(dir, "CURRENT"), "utf8")).trim()]);
    expect((await SearchIndex.load(dir)).size).toBe(3);
    await built.save(dir);
  });

  it("is refused when it was built with other rules, naming the file", async () => {
    const current = (await fs.readFile(path.join(dir, "CURRENT"), "utf8")).trim();
    const manifestPath = path.join(dir, "builds", current, "manifest.json");
    const manifest = JSON.parse(await fs.readFile(manifestPath, "utf8"));
    await fs.writeFile(manifestPath, JSON.stringify({ ...manifest, normalizationVersion: 0 }));
    await expect(SearchIndex.load(dir)).rejects.toThrow(/manifest\.json: built with normalizationVersion 0/);
    await fs.writeFile(manifestPath, JSON.stringify(manifest));
  });

  it("says what to do when there is no index", async () => {
    await expect(SearchIndex.load(path.join(dir, "missing"))).rejects.toThrow(/no index in .*run npm run index/);
  });
});

describe("npm run search", () => {
  it("prints results from the built index, as JSON for scripts", () => {
    const out = JSON.parse(runTsx(["scripts/search.ts", "--json", "--author", "陈志明", "--from", "2020", "黨建"], { INDEX_DIR: dir }));
    expect(out.hits.map((h: { id: string }) => h.id)).toEqual(["simp-branch"]);
    expect(out.query.words).toEqual(["党建"]);
  }, 60_000);
});
