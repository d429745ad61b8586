// `npm run screenshots`: starts the production build (run `npm run build` first)
// and saves screenshots of the main pages at desktop (1280 px) and phone
// (390 px) width into docs/screenshots/, in Chromium (Debian's when present).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const PORT = Number(process.env.SCREENSHOT_PORT || 3191);
const BASE = `http://127.0.0.1:${PORT}`;
const OUT = path.join(process.cwd(), "docs/screenshots");
const executablePath = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p));

const PAGES: Array<{ name: string; url: string; drawer?: boolean; type?: string; collectFrom?: string }> = [
  { name: "search-results", url: "/?q=%E5%85%9A%E5%BB%BA" },
  { name: "search-filtered", url: "/?q=%E5%BF%97%E6%84%BF&from=2019&to=2023&author=%E5%88%98%E6%B4%8B" },
  { name: "no-results", url: "/?q=%E9%87%8F%E5%AD%90%E8%AE%A1%E7%AE%97%E6%9C%BA" },
  { name: "reading-page", url: "/articles/traditional-2023-party-building-governance?q=%E5%85%9A%E5%BB%BA" },
  { name: "phone-filter-drawer", url: "/?q=%E5%85%9A%E5%BB%BA", drawer: true },
  { name: "query-over-the-limit", url: `/?q=${encodeURIComponent("党建工作".repeat(70))}` },
  { name: "did-you-mean-pinyin", url: "/?q=dangjian" },
  { name: "synonyms", url: `/?q=${encodeURIComponent("二十大")}` },
  { name: "suggestions-pinyin", url: "/", type: "dangjian" },
  { name: "trends", url: `/trends?q=${encodeURIComponent("党建")}&q=${encodeURIComponent("学习")}` },
  { name: "advanced-search", url: "/advanced" },
  { name: "field-and-near-query", url: `/?q=${encodeURIComponent("标题:党建 基层 NEAR/s 治理")}` },
  { name: "collections", url: "/collections", collectFrom: "/articles/traditional-2023-party-building-governance" },
];

async function waitForServer() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${BASE}/`)).ok) return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screenshots: server at ${BASE} did not start`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    stdio: "ignore",
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  try {
    await waitForServer();
    const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    for (const [width, height, label] of [
      [1280, 900, "desktop"],
      [390, 844, "phone"],
    ] as const) {
      for (const dark of [false, true]) {
        const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, colorScheme: dark ? "dark" : "light", locale: "zh-CN" });
        const page = await context.newPage();
        for (const p of PAGES) {
          if (p.drawer && label !== "phone") continue;
          if (dark && p.name !== "search-results" && p.name !== "reading-page") continue;
          if (p.collectFrom) {
            await page.goto(`${BASE}${p.collectFrom}`, { waitUntil: "networkidle" });
            for (const n of [1, 3]) await page.locator(`button[data-excerpt="${n}"]`).click();
          }
          await page.goto(`${BASE}${p.url}`, { waitUntil: "networkidle" });
          if (p.drawer) await page.getByRole("button", { name: /筛选/ }).click();
          if (p.name === "reading-page") await page.keyboard.press("n");
          if (p.type) {
            await page.getByRole("combobox", { name: "搜索文章" }).pressSequentially(p.type, { delay: 30 });
            await page.getByRole("listbox", { name: "搜索建议" }).waitFor();
            await page.keyboard.press("ArrowDown");
          }
          await page.waitForTimeout(300);
          const file = path.join(OUT, `${p.name}-${label}${dark ? "-dark" : ""}.png`);
          await page.screenshot({ path: file, fullPage: !p.drawer && label === "desktop" });
          process.stdout.write(`screenshots: ${path.relative(process.cwd(), file)}\n`);
        }
        await context.close();
      }
    }
    await browser.close();
  } finally {
    process.kill(-server.pid!, "SIGTERM");
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
