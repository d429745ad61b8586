// `npm run index -- --watch` makes a dropped file searchable within moments,
// one run per burst of changes (written as live changes); `kill -9` of a full index run at any
// moment leaves the server on the previous generation and the next run works.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCurrent } from "@/lib/search/storage/disk-store";
import { indexRunPhases, makeLibrary, markdownArticle, within, type Library } from "../../testkit/library";
import { searchTotal, startProductionServer, type RunningServer } from "../../testkit/production-server";
import { syntheticJsonl } from "../helpers/synthetic";

let lib: Library;
let server: RunningServer;

const total = (q: string) => searchTotal(server.base, q);

function indexProcess(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/index.ts", ...args], {
    // As `npm run index` runs it (package.json asks glibc for huge pages).
    env: { ...process.env, INDEX_DIR: lib.index, CONTENT_DIR: lib.content, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

beforeAll(async () => {
  lib = await makeLibrary("watch-crash");
  server = await startProductionServer(lib.index);
});

afterAll(async () => {
  server?.stop();
  await lib?.cleanup();
});

describe("npm run index -- --watch", () => {
  it("makes a file dropped into the content folder searchable within moments, one run per burst of changes", async () => {
    const watcher = indexProcess(["--watch"]);
    try {
      await within(30_000, "the watcher starts", async () => watcher.output().includes("index: watching"));
      await fs.writeFile(path.join(lib.content, "dropped.md"), markdownArticle("编辑放入的党建文章", "编辑把这篇文章放进文件夹，紫荆湾支部随即开展学习。"));
      const seconds = (await within(15_000, "the dropped article is found", async () => (await total("紫荆湾支部")) === 1)) / 1000;
      console.log(`dropped file searchable after ${seconds.toFixed(1)} s (debounce 100 ms)`);
      // A few articles are written as live changes beside the generation (counted against it), not as a generation.
      await within(5_000, "the watcher reports the live changes", async () => /index: live changes \S+~1: .*\(\+1 added.*\[after changes to dropped\.md\]/u.test(watcher.output()));

      // Three files written in quick succession: one run for the burst.
      const before = watcher.output().split("\n").filter((l) => l.startsWith("index: live changes")).length;
      for (const n of [1, 2, 3]) await fs.writeFile(path.join(lib.content, `burst-${n}.md`), markdownArticle(`连续放入的第${n}篇`, `木棉港第${n}篇党建稿件。`));
      await within(15_000, "the burst is found", async () => (await total("木棉港")) === 3);
      await within(5_000, "the watcher reports it", async () => watcher.output().includes("(+4 added"));
      const lines = watcher.output().split("\n").filter((l) => l.startsWith("index: live changes"));
      expect(lines.length).toBe(before + 1);
      expect(lines.at(-1)).toMatch(/4 article\(s\) differ from generation \S+ \(\+4 added, ~0 changed, -0 deleted since it\).*\[after changes to burst-1\.md, burst-2\.md, burst-3\.md\]/u);
    } finally {
      watcher.child.kill("SIGTERM");
      await watcher.exited;
    }
  });
});

describe("kill -9 of a full index run", () => {
  it("leaves the server on the previous generation, at any moment, and the next run completes", async () => {
    // Enough articles that a full build takes a few seconds.
    await fs.writeFile(path.join(lib.content, "bulk", "synthetic.jsonl"), syntheticJsonl(6000));
    await lib.reindex();
    const previous = readCurrent(lib.index);
    await within(10_000, "the server serves the bulk", async () => (await total("党支部")) > 1000);
    const expected = await total("党支部");
    await fs.writeFile(path.join(lib.content, "crash.md"), markdownArticle("崩溃测试文章", "凤凰台党建崩溃测试。"));

    // Once while it reads its input, once while it writes the new generation: each moment told by what the run leaves on disk.
    for (const { phase, reached } of indexRunPhases(lib.index)) {
      const run = indexProcess(["--full"]);
      await within(60_000, `the run gets to ${phase}`, async () => reached());
      run.child.kill("SIGKILL");
      expect(await run.exited).toBeNull();
      expect(readCurrent(lib.index)).toBe(previous);
      expect(await total("党支部")).toBe(expected);
      expect(await total("凤凰台")).toBe(0);
    }
    // The dead run's lock is taken over; the next run completes and is served.
    const next = indexProcess([]);
    expect(await next.exited).toBe(0);
    expect(next.output()).toMatch(/index: generation \S+: /u);
    await within(10_000, "the new generation is served", async () => (await total("凤凰台")) === 1);
    expect(await total("党支部")).toBe(expected);
  }, 240_000);
});
