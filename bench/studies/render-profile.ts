// `INDEX_DIR=<index> npx tsx bench/studies/render-profile.ts [--target search|reading|PATH] [--warm S] [--seconds S]`:
// where a rendered page's server time goes. One `next start` (the current
// build) runs under --cpu-prof with every cache off; autocannon loads one
// target at 16 connections (the search page over fixed queries, the reading
// pages of their results, or one path) for a warm-up and then the measured
// seconds; the profile's samples of the measured part only are summed as self
// time by area (Next.js's runtime, the app's chunks, Node, GC) and by
// function, and inclusive time for the engine's entry points.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../testkit/production-server";
import { loadPaths, loadServer } from "../parts/load";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const QUERIES = ["党建", "党支部", "三会一课", "主题教育", "党风廉政建设", "学习贯彻", "志愿服务", "乡村振兴", "共产党员", "组织生活", "黨建工作", "習近平", "教师", "学生", "高考", "读书", "党史学习教育", "不忘初心", "青年", "经济"];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where a script's time counts: Next.js's own runtime, the app's chunks, Node's internals, a package. */
function area(url: string): string {
  if (!url) return "(native: GC, V8 and Node built-ins)";
  const next = /node_modules\/next\/dist\/(compiled\/[^/]+|[^/]+\/[^/]+)/u.exec(url);
  if (next) return `next ${next[1]}`;
  const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/u.exec(url);
  if (pkg) return pkg[1];
  if (url.includes(".next/server/")) return `app ${url.split(".next/server/")[1].replace(/_[0-9a-z_-]+\._\.js$/u, "")}`;
  return url.startsWith("node:") ? url : path.basename(url);
}

function summarise(file: string, lastSeconds: number): void {
  const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const end = p.timeDeltas.reduce((a, b) => a + b, 0);
  const self = new Map<number, number>();
  let t = 0;
  p.samples.forEach((id, k) => {
    t += p.timeDeltas[k];
    if (t >= end - lastSeconds * 1e6) self.set(id, (self.get(id) ?? 0) + p.timeDeltas[k]);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    add(areas, area(f.url), us);
    add(fns, `${f.functionName || "(anonymous)"} · ${area(f.url)}`, us);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const name = byId.get(x)!.callFrame.functionName;
      if (["searchAsync", "getAsync", "suggestAsync"].includes(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, us);
      }
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`${(total / 1e6).toFixed(1)} s of samples (the last ${lastSeconds} s)\n\nself time by area:`);
  for (const [k, v] of top(areas, 15)) console.log(`${pct(v)} ${k}`);
  console.log("\nself time by function:");
  for (const [k, v] of top(fns, 25)) console.log(`${pct(v)} ${k}`);
  console.log("\nthe engine, inclusive:");
  for (const [k, v] of top(inclusive, 5)) console.log(`${pct(v)} ${k}`);
}

async function main(): Promise<void> {
  const index = process.env.INDEX_DIR;
  if (!index) throw new Error("render-profile: set INDEX_DIR to a built index (npm run index)");
  const target = opt("target", "search");
  const warm = Number(opt("warm", "15"));
  const seconds = Number(opt("seconds", "10"));
  const dir = mkdtempSync(path.join(os.tmpdir(), "render-profile-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, RESULT_CACHE_ENTRIES: "0", PAGE_CACHE_MB: "0", NEXT_TELEMETRY_DISABLED: "1" };
  const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], { env, stdio: "ignore" });
  try {
    for (let waited = 0; (await fetch(`${base}/api/search?q=x`).catch(() => null))?.status !== 200; waited += 100) {
      if (waited > 90_000) throw new Error(`render-profile: the server on ${base} did not answer within 90 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const paths = target === "search" || target === "reading" ? (await loadPaths(base, QUERIES))[target === "search" ? "search page" : "reading page"] : [target];
    await loadServer(base, { [target]: paths }, "warm-up", warm, [16]);
    await loadServer(base, { [target]: paths }, "profiled", seconds, [16]);
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`render-profile: no profile was written in ${dir}`);
  summarise(path.join(dir, file), seconds);
  console.log(`\nthe whole profile (for Chrome's DevTools): ${path.join(dir, file)}`);
}

main().catch((e) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
