// An incremental index run must answer exactly like a full build of the same
// content: the n-gram file and the article store byte for byte, and full
// responses (totals, ids, order, facets, highlights) on a fixed query set.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { describeRun, runIndex } from "@/lib/search/build/indexer";
import { openIndex, readCurrent } from "@/lib/search/storage/disk-store";
import { flipCharacter } from "../helpers/damage";
import { copySampleContent } from "../../testkit/library";
import { answers } from "../helpers/query-set";

let work: string;
let content: string;
let incremental: string;
let full: string;

const run = (dir: string, asFull = false) => runIndex({ targets: [content], dir, full: asFull, segmenter: segmentInProcess });
const file = (dir: string, name: string) => fs.readFile(path.join(dir, "builds", readCurrent(dir)!, name));

/** Builds the same content completely elsewhere and compares files and answers. */
async function expectSameAsFullBuild() {
  await fs.rm(full, { recursive: true, force: true });
  await run(full, true);
  expect((await file(incremental, "ngrams.bin")).equals(await file(full, "ngrams.bin"))).toBe(true);
  expect((await file(incremental, "articles.utf16.json")).equals(await file(full, "articles.utf16.json"))).toBe(true);
  expect((await file(incremental, "articles.crc32")).equals(await file(full, "articles.crc32"))).toBe(true);
  const a = JSON.parse(JSON.stringify(answers(await openIndex(incremental))));
  const b = JSON.parse(JSON.stringify(answers(await openIndex(full))));
  expect(a.searches.map((s: { total: number }) => s.total).some((t: number) => t > 0)).toBe(true);
  expect(a).toEqual(b);
}

/**
 * Turns one character of an article's stored copy into its neighbour (bit rot,
 * a bad copy): the JSON stays valid and the file the same size.
 */
async function damageStored(dir: string, id: string): Promise<number> {
  const build = path.join(dir, "builds", readCurrent(dir)!);
  const doc = (JSON.parse(await fs.readFile(path.join(build, "catalog.json"), "utf8")) as { ids: string[] }).ids.indexOf(id);
  expect(doc).toBeGreaterThanOrEqual(0);
  await flipCharacter(build, doc);
  return doc;
}

const article = (title: string, body: string, date = "2024-05-01") => `---\ntitle: "${title}"\nauthor: 周明\nsource: 支部工作简报\ndate: ${date}\n---\n\n${body}\n`;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), "incremental-"));
  content = path.join(work, "content");
  incremental = path.join(work, "incremental");
  full = path.join(work, "full");
  await copySampleContent(content);
  await run(incremental, true);
}, 120_000);

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe("npm run index, incrementally", () => {
  it("adds, changes and deletes articles and answers exactly like a full build", async () => {
    await fs.writeFile(path.join(content, "2024", "branch-new-article.md"), article("支部党建工作新举措", "支部结合党建工作实际，推出三项学习新举措，党员参与热情高涨。"));
    const changedFile = path.join(content, "2019", "theme-education-launch.md");
    await fs.writeFile(changedFile, (await fs.readFile(changedFile, "utf8")).replace("六月十日", "六月十一日"));
    await fs.rm(path.join(content, "2018", "red-film-study.md"));
    const jsonl = path.join(content, "bulk", "news-briefs.jsonl");
    const lines = (await fs.readFile(jsonl, "utf8")).trimEnd().split("\n");
    lines[1] = lines[1].replace("党费", "党费党建");
    lines.push(JSON.stringify({ id: "brief-2026-009", title: "党建学习简报第九期", author: "周明", source: "机关党建通讯", date: "2026-03-02", url: null, body: "本期简报介绍党建学习的新做法。" }));
    await fs.writeFile(jsonl, `${lines.join("\n")}\n`);

    const r = await run(incremental);
    expect(r.manifest.build).toMatchObject({ kind: "incremental", added: 2, changed: 2, deleted: 1, segmented: 4 });
    // Untouched files were not read again; of the JSONL file only the two new or edited lines were parsed.
    expect(r.ingest.reused.files).toBe(r.ingest.files - 3);
    expect(r.ingest.reused.lines).toBe(lines.length - 2);
    expect((await openIndex(incremental)).search({ q: "推出三项学习新举措", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }).total).toBe(1);
    await expectSameAsFullBuild();
  }, 120_000);

  it("publishes no new generation when nothing changed, reading no file again", async () => {
    const past = new Date(Date.now() - 60_000);
    for (const f of await fs.readdir(content, { recursive: true })) await fs.utimes(path.join(content, f), past, past);
    const before = readCurrent(incremental);
    // Stamps changed above: this run hashes the files, finds them equal and records the new stamps… only when it publishes.
    const first = await run(incremental);
    expect(first.name).toBeNull();
    expect(first.ingest.reused.files).toBe(first.ingest.files);
    expect(readCurrent(incremental)).toBe(before);
  }, 60_000);

  it("takes words from the segmentation cache when earlier content comes back", async () => {
    const changedFile = path.join(content, "2019", "theme-education-launch.md");
    await fs.writeFile(changedFile, (await fs.readFile(changedFile, "utf8")).replace("六月十一日", "六月十日"));
    await fs.cp(path.join("content", "2018", "red-film-study.md"), path.join(content, "2018", "red-film-study.md"));
    const r = await run(incremental);
    expect(r.manifest.build).toMatchObject({ changed: 1, added: 1, deleted: 0 });
    // Both texts were segmented before (by the first full build): jieba does not run.
    expect(r.manifest.build.segmented).toBe(0);
    await expectSameAsFullBuild();
  }, 120_000);

  it("keeps the word layer to a few segments over many small runs and still answers like a full build", async () => {
    let merges = 0;
    for (let round = 0; round < 8; round++) {
      await fs.writeFile(path.join(content, "2025", `round-${round}.md`), article(`第${round + 1}轮党建学习`, `第${round + 1}轮学习围绕党建引领基层治理展开，支部书记讲党课。`, `2025-0${(round % 9) + 1}-15`));
      if (round % 3 === 2) await fs.rm(path.join(content, "2025", `round-${round - 1}.md`));
      const r = await run(incremental);
      merges += r.manifest.build.merged;
      expect(r.manifest.segments.length).toBeLessThanOrEqual(4);
    }
    expect(merges).toBeGreaterThan(0);
    await expectSameAsFullBuild();
  }, 180_000);

  it("reports a bad file by name in every run and indexes the good ones", async () => {
    await fs.writeFile(path.join(content, "2025", "broken.md"), "---\ntitle: [unclosed\n---\n正文");
    const r = await run(incremental);
    expect(r.ingest.errors.map((e) => e.file)).toContain("2025/broken.md");
    const again = await run(incremental);
    expect(again.ingest.errors.map((e) => e.file)).toContain("2025/broken.md");
    await fs.rm(path.join(content, "2025", "broken.md"));
    await expectSameAsFullBuild();
  }, 120_000);

  it("writes a damaged stored article again from its source, and builds in full when the damaged one changed", async () => {
    const kept = (await openIndex(incremental)).articles[3].id;
    const doc = await damageStored(incremental, kept);
    // The server finds it when it reads the article (tests/unit/index-store.test.ts); the next run, before it copies it on.
    await expect((await openIndex(incremental)).warmTexts(3)).rejects.toThrow(new RegExp(`article ${doc} does not match its checksum`));
    const repaired = await run(incremental);
    expect(repaired.name).not.toBeNull();
    expect(repaired.manifest.build).toMatchObject({ kind: "incremental", added: 0, changed: 0, deleted: 0 });
    expect(repaired.repaired).toEqual([kept]);
    expect(describeRun(repaired)).toContain(`1 damaged stored article(s) written again from their source (${kept})`);
    await (await openIndex(incremental)).warmTexts(3);
    await expectSameAsFullBuild();

    // Damaged and changed since: its old text cannot be read to take its n-grams out, so the run builds in full.
    await damageStored(incremental, "brief-2026-009");
    const jsonl = path.join(content, "bulk", "news-briefs.jsonl");
    await fs.writeFile(jsonl, (await fs.readFile(jsonl, "utf8")).replace("本期简报介绍党建学习的新做法。", "本期简报介绍党建学习的新做法和新经验。"));
    const rebuilt = await run(incremental);
    expect(rebuilt.manifest.build.kind).toBe("full");
    expect(rebuilt.fullReason).toMatch(/\(brief-2026-009\) of the previous generation is damaged and was changed or removed since/);
    await expectSameAsFullBuild();
  }, 120_000);
});
