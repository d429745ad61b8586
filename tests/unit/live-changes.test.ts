// Live changes (build/live.ts, engine/live-segment.ts) must answer exactly like
// a full build of the same content at every step: full responses (totals, ids,
// order, facets, highlights, trends), every article's reading view (related
// articles, reposts, key terms), suggestions and the vocabulary, on a fixed
// query set, after adds, changes, deletes, edits inside a JSONL file, a
// return to the generation's own content, withdrawals and synonyms, and
// across a merge into a new generation.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { describeRun, runIndex, type IndexRunOptions, type LiveState } from "@/lib/search/build/indexer";
import { buildSearchIndex } from "@/lib/search/build/in-memory";
import { withLiveChanges } from "@/lib/search/engine/live-segment";
import { decodeLiveChanges, encodeLiveChanges, liveRemap } from "@/lib/search/formats/live-changes";
import { diskStore, openIndex, readCurrent } from "@/lib/search/storage/disk-store";
import type { OverlayEntry } from "@/lib/content/overlay";
import { ingest } from "@/lib/content/ingest";
import { copySampleContent } from "../../testkit/library";
import { answers, QUERY_SET } from "../helpers/query-set";

let work: string;
let content: string;
let liveDir: string;
let fullDir: string;
const state: LiveState = { base: null };

const article = (title: string, body: string, date = "2024-05-01") => `---\ntitle: "${title}"\nauthor: 周明\nsource: 支部工作简报\ndate: ${date}\n---\n\n${body}\n`;

const runLive = (extra: Partial<IndexRunOptions> = {}) => runIndex({ targets: [content], dir: liveDir, live: state, segmenter: segmentInProcess, ...extra });

/**
 * The live generation with its live changes applied, as a server holds it,
 * warmed as a server warms it but with the titles' n-gram index at any size
 * (a live segment's is its base's with the added titles beside it), on a base
 * warmed first (as one served before the changes came) or not (as at a start).
 */
async function served(warmBase = false) {
  const name = readCurrent(liveDir)!;
  const base = await openIndex(liveDir);
  if (warmBase) await base.warmTexts(1000, 4, 0);
  const changes = await diskStore(liveDir).readLive!(name);
  const index = changes ? withLiveChanges(base, `${name}~${changes.seq}`, changes) : base;
  await index.warmTexts(1000, 4, 0);
  return index;
}

/** The query set, and words of the articles these tests add (whole words rank by the live word segment). */
const REQUESTS = [...QUERY_SET, ...["新举措", "热情", "简报", "合并", "继续开展"].map((q) => ({ ...QUERY_SET[0], q }))];

/** A full build of the same content elsewhere answers the same. */
async function expectSameAsFullBuild(extra: Partial<IndexRunOptions> = {}) {
  await fs.rm(fullDir, { recursive: true, force: true });
  await runIndex({ targets: [content], dir: fullDir, full: true, segmenter: segmentInProcess, ...extra });
  const live = await served();
  const full = await openIndex(fullDir);
  const a = JSON.parse(JSON.stringify(answers(live, REQUESTS)));
  const b = JSON.parse(JSON.stringify(answers(full, REQUESTS)));
  expect(a.searches.map((s: { total: number }) => s.total).some((t: number) => t > 0)).toBe(true);
  expect(a).toEqual(b);
  expect(JSON.parse(JSON.stringify(answers(await served(true), REQUESTS)))).toEqual(b);
  // The repost report reads the signatures, which a live index splices on first use.
  expect(JSON.parse(JSON.stringify(live.repostGroups()))).toEqual(JSON.parse(JSON.stringify(full.repostGroups())));
  return live;
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), "live-changes-"));
  content = path.join(work, "content");
  liveDir = path.join(work, "live");
  fullDir = path.join(work, "full");
  await copySampleContent(content);
  await runIndex({ targets: [content], dir: liveDir, full: true, segmenter: segmentInProcess });
}, 120_000);

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe("live changes", () => {
  it("places the base's survivors around the added articles in order", () => {
    expect(Array.from(liveRemap(5, [1, 3], [{ doc: 0 }, { doc: 3 }], 5))).toEqual([1, -1, 2, -1, 4]);
    expect(() => liveRemap(3, [], [{ doc: 0 }], 3)).toThrow(/account for every article|place more articles/u);
  });

  it("a new article is written as live changes, not a generation, and answers like a full build", async () => {
    const generation = readCurrent(liveDir);
    await fs.writeFile(path.join(content, "2024", "live-new-article.md"), article("支部党建工作新举措", "支部结合党建工作实际，推出三项学习新举措，党员参与热情高涨。"));
    const r = await runLive();
    expect(r.live).toBe(true);
    expect(r.name).toBe(`${generation}~1`);
    expect(r.manifest.build).toMatchObject({ kind: "live", added: 1, changed: 0, deleted: 0, segmented: 1 });
    expect(describeRun(r)).toMatch(/live changes .*~1: 1 article\(s\) differ/u);
    // No generation was written: the live one is the same.
    expect(readCurrent(liveDir)).toBe(generation);
    const live = await expectSameAsFullBuild();
    expect(live.search({ q: "推出三项学习新举措", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }).total).toBe(1);
    expect(live.manifest.live).toMatchObject({ base: generation, seq: 1 });
  }, 120_000);

  it("changes, deletions and edits inside a JSONL file accumulate against the same generation", async () => {
    const generation = readCurrent(liveDir);
    const changedFile = path.join(content, "2019", "theme-education-launch.md");
    await fs.writeFile(changedFile, (await fs.readFile(changedFile, "utf8")).replace("六月十日", "六月十一日"));
    await fs.rm(path.join(content, "2018", "red-film-study.md"));
    const jsonl = path.join(content, "bulk", "news-briefs.jsonl");
    const lines = (await fs.readFile(jsonl, "utf8")).trimEnd().split("\n");
    lines[1] = lines[1].replace("党费", "党费党建");
    lines.push(JSON.stringify({ id: "brief-2026-009", title: "党建学习简报第九期", author: "周明", source: "机关党建通讯", date: "2026-03-02", url: null, body: "本期简报介绍党建学习的新做法。" }));
    await fs.writeFile(jsonl, `${lines.join("\n")}\n`);
    const r = await runLive();
    expect(r.live).toBe(true);
    expect(r.manifest.build).toMatchObject({ kind: "live", added: 2, changed: 2, deleted: 1 });
    expect(r.manifest.live).toMatchObject({ base: generation, seq: 2 });
    // The first run's article is not segmented again.
    expect(r.manifest.build.segmented).toBe(3);
    await expectSameAsFullBuild();
  }, 120_000);

  it("writes nothing when nothing changed since the last changes", async () => {
    const r = await runLive();
    expect(r.live).toBe(true);
    expect(r.name).toBeNull();
  }, 60_000);

  it("goes back to the generation's own content when the changes are undone", async () => {
    await fs.rm(path.join(content, "2024", "live-new-article.md"));
    const changedFile = path.join(content, "2019", "theme-education-launch.md");
    await fs.writeFile(changedFile, (await fs.readFile(changedFile, "utf8")).replace("六月十一日", "六月十日"));
    await fs.cp(path.join("content", "2018", "red-film-study.md"), path.join(content, "2018", "red-film-study.md"));
    await fs.cp(path.join("content", "bulk", "news-briefs.jsonl"), path.join(content, "bulk", "news-briefs.jsonl"));
    const r = await runLive();
    expect(r.live).toBe(true);
    expect(r.manifest.build).toMatchObject({ added: 0, changed: 0, deleted: 0, segmented: 0 });
    await expectSameAsFullBuild();
  }, 120_000);

  it("carries editors' withdrawals and synonym groups", async () => {
    const full = await openIndex(liveDir);
    const id = full.articles[3].id;
    const overlay: OverlayEntry[] = [{ id, correction: null, state: "withdrawn", note: "测试撤回", title: full.articles[3].title, updated: new Date().toISOString(), by: "editor" }];
    const r = await runLive({ overlay, synonyms: ["党建 | 党的建设"] });
    expect(r.live).toBe(true);
    expect(r.manifest.withdrawn).toEqual([id]);
    const live = await expectSameAsFullBuild({ overlay, synonyms: ["党建 | 党的建设"] });
    expect(live.manifest.withdrawn).toEqual([id]);
    expect(live.manifest.synonyms).toEqual(["党建 | 党的建设"]);
    await runLive();
  }, 120_000);

  it("a merge writes the changes into a new generation, and the next changes build on it", async () => {
    await fs.writeFile(path.join(content, "2025", "live-merge.md"), article("合并前的文章", "基层党组织开展合并测试学习。", "2025-02-02"));
    expect((await runLive()).live).toBe(true);
    const before = readCurrent(liveDir);
    const merged = await runLive({ merge: true });
    expect(merged.live).toBe(false);
    expect(merged.name).not.toBe(before);
    expect(readCurrent(liveDir)).toBe(merged.name);
    // Publishing a generation ends the previous one's live changes.
    expect(await diskStore(liveDir).readLive!(before!)).toBeNull();
    await fs.writeFile(path.join(content, "2025", "live-after-merge.md"), article("合并后的文章", "合并之后支部继续开展学习。", "2025-03-03"));
    const r = await runLive();
    expect(r.name).toBe(`${merged.name}~1`);
    await expectSameAsFullBuild();
  }, 180_000);

  it("two writers (two replicas' index services) number their changes one after the other, and each writes", async () => {
    const other: LiveState = { base: null };
    await fs.writeFile(path.join(content, "2025", "writer-a.md"), article("甲写入的文章", "第一个写入进程写入的近实时文章。", "2025-04-04"));
    const first = await runLive();
    await fs.writeFile(path.join(content, "2025", "writer-b.md"), article("乙写入的文章", "第二个写入进程写入的近实时文章。", "2025-05-05"));
    const second = await runIndex({ targets: [content], dir: liveDir, live: other, segmenter: segmentInProcess });
    expect(second.manifest.live!.seq).toBe(first.manifest.live!.seq + 1);
    // The first writer's next run follows the second's, though its own last changes match what it reads.
    await fs.rm(path.join(content, "2025", "writer-b.md"));
    await fs.rm(path.join(content, "2025", "writer-a.md"));
    const third = await runLive();
    expect(third.name).not.toBeNull();
    expect(third.manifest.live!.seq).toBe(second.manifest.live!.seq + 1);
    await expectSameAsFullBuild();
  }, 120_000);

  it("applies on an index built in memory (bodies held) the same as on a loaded one", async () => {
    const name = readCurrent(liveDir)!;
    const changes = (await diskStore(liveDir).readLive!(name))!;
    // Through the stored form, as a server reads it.
    const decoded = decodeLiveChanges(encodeLiveChanges(changes), "test");
    const baseStore = diskStore(liveDir);
    const loaded = (await baseStore.load()).index;
    const baseContent = path.join(work, "base-content");
    // The generation's own content: what the live base was built from.
    await fs.rm(baseContent, { recursive: true, force: true });
    await fs.cp(content, baseContent, { recursive: true });
    await fs.rm(path.join(baseContent, "2025", "live-after-merge.md"));
    const built = buildSearchIndex((await ingest([baseContent])).articles);
    const a = answers(withLiveChanges(await built, "memory", decoded), REQUESTS);
    const b = answers(withLiveChanges(loaded, "loaded", decoded), REQUESTS);
    expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
  }, 120_000);

  it("refuses changes made for another library", async () => {
    const name = readCurrent(liveDir)!;
    const changes = (await diskStore(liveDir).readLive!(name))!;
    const base = await openIndex(liveDir);
    expect(() => withLiveChanges(base, "x", { ...changes, articles: changes.articles + 5 })).toThrow();
    expect(() => decodeLiveChanges("{", "live.json")).toThrow(/live.json: not valid JSON/u);
  });
});
