// `npm run bench:pages`: the pages on the production build over the real
// corpus: first-load JavaScript of the search page (gzipped), server response
// time of a search page with 10 results, and time from the last keystroke to
// visible results in Chromium. Uses INDEX_DIR when given, otherwise builds a
// corpus index in a temporary folder. Options: --json.
import { execFileSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { CORPUS_DIR, HAVE_CORPUS, corpusFiles } from "../testkit/corpus";
import { startProductionServer } from "../testkit/production-server";
import { fmt, median, quantile } from "./parts/stats";

const log = (s: string) => process.stderr.write(`${s}\n`);
let BASE = "";

// Queries people type: words, names, phrases, Traditional forms, with filters.
const QUERIES = [
  "党建", "党支部", "三会一课", "主题教育", "党风廉政建设", "学习贯彻", "志愿服务", "乡村振兴", "共产党员", "组织生活",
  "黨建工作", "習近平", "總統", "教师", "学生", "高考", "运动会", "家长会", "读书", "艺术节",
  "党史学习教育", "不忘初心", "全面从严治党", "\"立德树人\"", "社会实践", "青年", "经济", "改革", "疫情防控", "科技",
];

async function firstLoadJs(): Promise<{ files: number; gzipBytes: number; rawBytes: number }> {
  const html = await (await fetch(`${BASE}/`)).text();
  // noModule scripts (legacy polyfills) are not downloaded by the browsers the app supports.
  const tags = [...html.matchAll(/<script([^>]*)>/gu)].map((m) => m[1]).filter((attrs) => !/nomodule/iu.test(attrs));
  const srcs = [...new Set(tags.flatMap((attrs) => /src="([^"]+)"/u.exec(attrs)?.[1] ?? []))];
  let gz = 0;
  let raw = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, BASE))).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  // Inline scripts (the RSC payload) travel with the HTML; the HTML itself is not counted as JavaScript.
  return { files: srcs.length, gzipBytes: gz, rawBytes: raw };
}

async function pageResponseTimes(): Promise<number[]> {
  const perQuery: number[] = [];
  for (const q of QUERIES) await fetch(`${BASE}/?q=${encodeURIComponent(q)}`).then((r) => r.text()); // warm-up
  for (const q of QUERIES) {
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      const html = await (await fetch(`${BASE}/?q=${encodeURIComponent(q)}`)).text();
      times.push(performance.now() - t);
      if (!html.includes("搜索结果") && !html.includes("没有找到")) throw new Error(`bench: no results page for ${q}`);
    }
    perQuery.push(median(times));
  }
  return perQuery;
}

async function keystrokeToResults(): Promise<number[]> {
  const executablePath = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const out: number[] = [];
  for (const q of QUERIES.filter((x) => !x.includes('"')).slice(0, 20)) {
    await page.goto(`${BASE}/`);
    await page.evaluate(() => {
      const w = window as unknown as { __lastKey: number; __changed: number };
      w.__lastKey = 0;
      w.__changed = 0;
      // "input", not "keydown": Chinese text arrives through an input method, without key events.
      window.addEventListener("input", () => (w.__lastKey = performance.now()), true);
      const target = document.querySelector('[data-testid="result-count"]')!.parentElement!;
      new MutationObserver(() => (w.__changed = performance.now())).observe(target, { childList: true, subtree: true, characterData: true });
    });
    log(`bench: typing ${q}`);
    const box = page.getByRole("combobox", { name: "搜索文章" });
    await box.pressSequentially(q, { delay: 40 });
    await page.waitForFunction((want) => {
      const reading = document.getElementById("query-reading")?.textContent ?? "";
      return new URL(location.href).searchParams.get("q") === want && reading.length > 0 && !document.querySelector('[aria-busy="true"]');
    }, q);
    await page.waitForTimeout(50);
    const [lastKey, changed] = await page.evaluate(() => {
      const w = window as unknown as { __lastKey: number; __changed: number };
      return [w.__lastKey, w.__changed];
    });
    if (!lastKey || !changed) throw new Error(`bench: no input or no change recorded for ${q}`);
    out.push(changed - lastKey);
  }
  await browser.close();
  return out;
}

async function main() {
  let dir = process.env.INDEX_DIR;
  let made = false;
  if (!dir) {
    if (!HAVE_CORPUS) {
      log(`bench: no corpus at ${CORPUS_DIR}; set CORPUS_DIR or INDEX_DIR`);
      process.exit(2);
    }
    dir = path.join(os.tmpdir(), `bench-pages-${process.pid}`);
    made = true;
    log("bench: indexing the corpus…");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", ...corpusFiles()], { env: { ...process.env, INDEX_DIR: dir }, stdio: "ignore" });
  }
  // Kept pages off: the server response measured is a render of the page, not a copy of one rendered before.
  const server = await startProductionServer(dir, { cluster: true, env: { PAGE_CACHE_MB: "0" } });
  BASE = server.base;
  try {
    const js = await firstLoadJs();
    const pages = await pageResponseTimes();
    const visible = await keystrokeToResults();
    const result = {
      firstLoadJs: js,
      searchPage: { queries: pages.length, p50: median(pages), p95: quantile(pages, 0.95), max: Math.max(...pages) },
      keystrokeToResults: { queries: visible.length, p50: median(visible), p95: quantile(visible, 0.95), max: Math.max(...visible) },
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
    };
    if (process.argv.includes("--json")) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(
      [
        `Pages benchmark, ${result.date}, ${result.machine}, production build over the corpus index`,
        "",
        "| measure | result | target |",
        "|---|---|---|",
        `| first-load JavaScript of the search page | ${fmt(js.gzipBytes / 1024, 1)} KB gzipped (${fmt(js.rawBytes / 1024, 1)} KB raw, ${js.files} files) | ≤ 150 KB gzipped |`,
        `| server response, search page with 10 results, rendered (kept pages off; ${pages.length} queries, median of 5 each) | p50 ${fmt(result.searchPage.p50, 1)} ms, p95 ${fmt(result.searchPage.p95, 1)} ms, max ${fmt(result.searchPage.max, 1)} ms | ≤ 50 ms median |`,
        `| last keystroke → results visible in Chromium (${visible.length} queries) | p50 ${fmt(result.keystrokeToResults.p50, 0)} ms, p95 ${fmt(result.keystrokeToResults.p95, 0)} ms, max ${fmt(result.keystrokeToResults.max, 0)} ms | ≤ 100 ms at p95 |`,
      ].join("\n") + "\n",
    );
  } finally {
    server.stop();
    if (made) await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  log(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
