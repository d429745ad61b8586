// Near-real-time changes through the real pieces: `npm start` over a library
// and `npm run index -- --watch` beside it. A file landed in the content
// folder is searchable within a second, written as live changes (the
// generation stays; servers apply the changes in memory); the server's
// answers then equal a full build's of the same content; and over 1,000
// consecutive changes (merged into new generations now and then, as the
// watch does) the server's memory stays flat.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIndex, type LiveState } from "@/lib/search/build/indexer";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { parseSearchParams } from "@/lib/search/serving/params";
import { openIndex, readCurrent } from "@/lib/search/storage/disk-store";
import { makeLibrary, markdownArticle, within, type Library } from "../../testkit/library";
import { heapAfterGcMB, INSPECT_ENV, searchTotal, settledRssMB, startProductionServer, type RunningServer } from "../../testkit/production-server";

/** One worker: the assertions read one server process's log lines. */
const ONE_WORKER = { WEB_CONCURRENCY: "1" };

let lib: Library;
let server: RunningServer;
let watch: ChildProcess | null = null;
let watchOutput = "";

beforeAll(async () => {
  lib = await makeLibrary("live-changes");
  server = await startProductionServer(lib.index, { env: { INDEX_POLL_MS: "500", ...ONE_WORKER, ...INSPECT_ENV } });
});

afterAll(async () => {
  watch?.kill("SIGTERM");
  server?.stop();
  await lib?.cleanup();
});

/** Writes a file as editors' tools do: a temporary file renamed into place. */
async function land(name: string, text: string): Promise<void> {
  const file = path.join(lib.content, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(`${file}.tmp`, text);
  await fs.rename(`${file}.tmp`, file);
}

/** The server's full answers to these queries, and a full build's of the same content in this process: equal. */
async function expectServerAnswersLikeFullBuild(queries: string[]): Promise<void> {
  const fullDir = path.join(lib.root, "full");
  await fs.rm(fullDir, { recursive: true, force: true });
  await runIndex({ targets: [lib.content], dir: fullDir, full: true, segmenter: segmentInProcess });
  const full = await openIndex(fullDir);
  for (const q of queries) {
    const served = (await (await fetch(`${server.base}/api/search?q=${encodeURIComponent(q)}`)).json()) as Record<string, unknown>;
    const expected = JSON.parse(JSON.stringify(full.search(parseSearchParams(new URLSearchParams({ q })))));
    expect({ ...served, tookMs: 0 }, q).toEqual({ ...expected, tookMs: 0 });
  }
}

describe("near-real-time changes", () => {
  it("a file landed under --watch is searchable within a second, as live changes on the same generation, answering like a full build", async () => {
    const generation = readCurrent(lib.index);
    watch = spawn(process.execPath, ["--import", "tsx", "scripts/index.ts", "--watch"], {
      env: { ...process.env, INDEX_DIR: lib.index, CONTENT_DIR: lib.content, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    watch.stdout!.on("data", (d) => (watchOutput += d));
    watch.stderr!.on("data", (d) => (watchOutput += d));
    await within(60_000, "the watch starts", async () => watchOutput.includes("index: watching"));
    // The first live run loads the generation's key terms and counts: not timed.
    await land("2026/warm.md", markdownArticle("预热文章", "预热用的近实时检索文字。"));
    await within(10_000, "the warm-up article is found", async () => (await searchTotal(server.base, "预热用的近实时检索")) === 1);

    const times: number[] = [];
    const timed = async (what: string, change: () => Promise<void>, done: () => Promise<boolean>) => {
      const t0 = performance.now();
      await change();
      await within(10_000, what, done);
      times.push((performance.now() - t0) / 1000);
    };
    await timed("the added article is found", () => land("2026/nrt.md", markdownArticle("近实时党建文章", "青松岭近实时示范点把支部建在产业链上。")), async () => (await searchTotal(server.base, "青松岭近实时示范点")) === 1);
    await timed("the changed article is found by its new text", () => land("2026/nrt.md", markdownArticle("近实时党建文章", "红枫林近实时示范点把支部建在产业链上。")), async () => (await searchTotal(server.base, "红枫林近实时示范点")) === 1);
    await timed("the deleted article is gone", () => fs.rm(path.join(lib.content, "2026/nrt.md")), async () => (await searchTotal(server.base, "近实时示范点")) === 0);
    await timed("an edited sample article is found by its new text", async () => {
      const file = path.join(lib.content, "2019", "theme-education-launch.md");
      await land("2019/theme-education-launch.md", (await fs.readFile(file, "utf8")).replace("六月十日", "六月十一日近实时"));
    }, async () => (await searchTotal(server.base, "六月十一日近实时")) === 1);
    console.log(`file landed -> searchable (add, change, delete, edit): ${times.map((t) => t.toFixed(3)).join(", ")} s`);
    // Seconds on a machine running the server, the watch and this test on two cores: a generous bound that a run
    // writing whole generations (1.5-2 s at x1 before live changes) would still pass on this small library, so the
    // test holds the mechanism (below), the benchmark the figure.
    expect(Math.max(...times)).toBeLessThan(5);
    // No generation was written: the server applied live changes on the one it had.
    expect(readCurrent(lib.index)).toBe(generation);
    expect(watchOutput).toMatch(/index: live changes \S+~\d+: /u);
    expect(server.log()).toMatch(new RegExp(`search: live changes ${generation}~\\d+ live \\(33 articles; \\+1 ~1 -0 against ${generation}\\)`, "u"));
    await expectServerAnswersLikeFullBuild(["党建", "近实时", "六月十一日", "支部 学习", "红枫林", "预热"]);
    watch.kill("SIGTERM");
    watch = null;
  }, 120_000);

  it("a damaged live.json is reported once and the server keeps serving what it had; the next live changes take over", async () => {
    const state: LiveState = { base: null };
    await lib.write("2026/damaged-live.md", "损坏测试文章", "损坏测试前写入的近实时文字。");
    const r = await runIndex({ targets: [lib.content], dir: lib.index, live: state, segmenter: segmentInProcess });
    await within(10_000, `${r.name} is live`, async () => server.log().includes(` ${r.name} live (`));
    const before = server.log().length;
    await fs.writeFile(path.join(lib.index, "live.json"), '{"version": 1, "articles": ');
    await within(10_000, "the damage is reported", async () => server.log().slice(before).includes("cannot read the live changes"));
    // Polls every 500 ms: still one line after several.
    await new Promise((res) => setTimeout(res, 2000));
    expect(server.log().slice(before).match(/cannot read the live changes/gu)?.length).toBe(1);
    expect(await searchTotal(server.base, "损坏测试前写入")).toBe(1);
    await lib.write("2026/damaged-live.md", "损坏测试文章", "损坏之后重新写入的近实时文字。");
    const next = await runIndex({ targets: [lib.content], dir: lib.index, live: state, segmenter: segmentInProcess });
    await within(10_000, `${next.name} is live`, async () => (await searchTotal(server.base, "损坏之后重新写入")) === 1);
    await lib.remove("2026/damaged-live.md");
    await runIndex({ targets: [lib.content], dir: lib.index, live: state, segmenter: segmentInProcess });
  }, 60_000);

  it("keeps the server's memory flat over 1,000 consecutive changes, merged into new generations as they grow", async () => {
    const state: LiveState = { base: null };
    // A small limit (30 articles differing from the generation, a merge due at 15): merges come every few rounds.
    const options = { targets: [lib.content], dir: lib.index, live: state, segmenter: segmentInProcess, liveLimit: 30 };
    let applied = 0;
    let merges = 0;
    const change = async (write: () => Promise<unknown>) => {
      await write();
      const r = await runIndex(options);
      if (r.name) {
        // Each one served before the next is written: the server applies every set, not only the newest.
        // "live changes <name> live", or "generation <name> live" when a new generation came with them.
        await within(10_000, `${r.name} is live`, async () => server.log().includes(` ${r.name} live (`));
        applied++;
      }
      if (r.mergeDue) {
        const m = await runIndex({ ...options, merge: true });
        await within(20_000, `merged generation ${m.name} is live`, async () => server.log().includes(` ${m.name} live (`));
        merges++;
      }
    };
    // A pool of twenty articles in the generation, edited in turn; one more article added and the one before deleted:
    // the library keeps its size, so its memory is the same at the end as after the first rounds.
    for (let k = 0; k < 20; k++) await lib.write(`2027/pool-${k}.md`, `近实时文章池${k}号`, `文章池${k}号的初稿：支部党建工作。`);
    await change(() => runIndex({ ...options, merge: true }));
    const round = async (i: number) => {
      await change(() => lib.write(`2027/r-${i}.md`, `第${i}轮近实时文章`, `第${i}轮近实时测试：支部党建工作。`));
      await change(() => (i > 0 ? lib.remove(`2027/r-${i - 1}.md`) : lib.write(`2027/r-0.md`, "第0轮近实时文章", "第0轮近实时测试改写：支部党建工作。")));
      await change(() => lib.write(`2027/pool-${i % 20}.md`, `近实时文章池${i % 20}号`, `文章池${i % 20}号第${i}轮改写：基层党组织学习。`));
    };
    // What the server keeps is read after a full garbage collection (heapAfterGcMB): resident memory depends on when
    // V8 and malloc give freed pages back, and over clean-clone runs it read 7-21% above the first reading at the end
    // as often as 11% below it, with nothing kept. Resident memory is still read, and bounds a leak outside the
    // JavaScript heap (native memory) more loosely. The first readings once the server has been through a few merges,
    // the second after the other 700 changes: 10% of the kept memory over 700 changes is ~10 kB a change.
    const reading = async () => ({ heap: await heapAfterGcMB(server), rss: await settledRssMB(server) });
    let i = 0;
    for (; i < 100; i++) await round(i);
    const first = await reading();
    for (; i < 334; i++) await round(i);
    const after = await reading();
    const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
    console.log(
      `1,000 changes (${applied} applied by the server, ${merges} merges): after the first 300 and after all, memory kept (heap after a full collection) ${first.heap.toFixed(1)} -> ${after.heap.toFixed(1)} MB (${pct(first.heap, after.heap)}), resident ${first.rss.toFixed(0)} -> ${after.rss.toFixed(0)} MB (${pct(first.rss, after.rss)})`,
    );
    expect(applied).toBeGreaterThanOrEqual(1000);
    expect(merges).toBeGreaterThan(10);
    expect(after.heap).toBeLessThanOrEqual(first.heap * 1.1);
    expect(after.rss).toBeLessThanOrEqual(first.rss * 1.5);
    expect(await searchTotal(server.base, "第333轮近实时测试")).toBe(1);
    await expectServerAnswersLikeFullBuild(["党建", "近实时测试", "文章池", "第200轮改写", "改写"]);
  }, 900_000);
});
