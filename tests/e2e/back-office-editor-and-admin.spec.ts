// The back office in Chromium, on a production server of its own (its own
// library, accounts and back-office file, so that its changes touch no other
// spec): an editor signs in, uploads a Word file and a PDF by the page, finds
// both with highlights, corrects a title, withdraws an article (gone from
// results, its page 410) and restores it, signs out and is refused; an admin
// reads the audit log of all of it, and adds a synonym from the no-result
// report, after which the query finds articles.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import { expect, test, type Page } from "@playwright/test";

// Written for this test (not from any corpus).
const WORD = {
  title: "关于开展支部主题党日活动的情况报告",
  paragraphs: ["本季度，第三党支部组织开展了三次主题党日活动。", "第二次活动走进社区，党员志愿者为居民提供政策咨询、义务理发和家电维修等服务。"],
};
const PDF_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC",serif;font-size:16pt}</style></head><body><h1>關於加強黨員教育管理工作的實施意見</h1><p>各黨支部要把黨員教育管理工作擺在突出位置，健全學習制度。</p></body></html>`;
const PASSWORD = "一段足够长的测试口令 2026";
const NO_RESULT = "星火读书会";
let root: string;
let base: string;
let server: ChildProcess | undefined;
let docx: Buffer;
let pdf: Buffer;

test.describe.configure({ mode: "serial" });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  root = mkdtempSync(path.join(os.tmpdir(), "e2e-admin-"));
  const env = {
    ...process.env,
    CONTENT_DIR: path.join(root, "content"),
    INDEX_DIR: path.join(root, "index"),
    ADMIN_DB: path.join(root, "admin", "admin.sqlite"),
    WEB_CONCURRENCY: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  cpSync("content", env.CONTENT_DIR, { recursive: true });
  execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts"], { env, stdio: "pipe" });
  for (const [name, role] of [["editor1", "editor"], ["admin1", "admin"]]) execFileSync(process.execPath, ["--import", "tsx", "scripts/users.ts", "add", name, "--role", role], { env, input: `${PASSWORD}\n`, stdio: ["pipe", "pipe", "pipe"] });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["server/cluster.cjs", "-H", "127.0.0.1", "-p", String(port)], { env, stdio: "ignore", detached: true });
  await expect(async () => expect((await fetch(`${base}/api/search?q=${encodeURIComponent("党建")}`)).status).toBe(200)).toPass({ timeout: 90_000 });
  const children = [new Paragraph({ text: WORD.title, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER }), ...WORD.paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] }))];
  docx = await Packer.toBuffer(new Document({ sections: [{ children }] }));
  const page = await browser.newPage();
  await page.setContent(PDF_HTML);
  pdf = await page.pdf({ format: "A4" });
  await page.close();
});

test.afterAll(() => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      /* gone */
    }
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

const errors: string[] = [];
test.beforeEach(({ page }) => {
  errors.length = 0;
  page.on("pageerror", (e) => errors.push(e.message));
});
test.afterEach(() => expect(errors).toEqual([]));

async function signIn(page: Page, name: string) {
  await page.goto(`${base}/admin`);
  await expect(page).toHaveURL(/\/admin\/login$/u);
  await page.locator("input[name=name]").fill(name);
  await page.locator("input[name=password]").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
}

/** The ids of the results a reader sees for a query. */
async function resultIds(page: Page, q: string): Promise<string[]> {
  await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
  return page.locator("a[data-result-link]").evaluateAll((links) => links.map((a) => decodeURIComponent(new URL((a as HTMLAnchorElement).href).pathname.split("/")[2])));
}

test("an editor uploads, finds, corrects, withdraws and restores, then signs out", async ({ page }) => {
  await signIn(page, "editor1");
  await page.getByTestId("upload-input").setInputFiles([
    { name: "主题党日报告.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: docx },
    { name: "黨員教育.pdf", mimeType: "application/pdf", buffer: pdf },
  ]);
  const items = page.getByTestId("upload-item");
  await expect(items).toHaveCount(2);
  await expect(page.locator("[data-testid=upload-item][data-status=indexed]")).toHaveCount(2, { timeout: 60_000 });
  const links = page.getByTestId("uploaded-article");
  await expect(links.filter({ hasText: WORD.title })).toHaveCount(1);
  const docxId = decodeURIComponent((await links.filter({ hasText: WORD.title }).getAttribute("href"))!.split("/")[2]);
  const pdfId = decodeURIComponent((await links.filter({ hasNotText: WORD.title }).getAttribute("href"))!.split("/")[2]);

  // Both searchable, with highlights (the PDF's Traditional text found by a Simplified query).
  expect(await resultIds(page, "义务理发")).toContain(docxId);
  await expect(page.locator("mark", { hasText: "义务理发" }).first()).toBeVisible();
  const pdfQuery = "党员教育管理工作";
  expect(await resultIds(page, pdfQuery)).toContain(pdfId);
  await expect(page.locator("mark").first()).toBeVisible();

  // Correct the Word file's title.
  const corrected = "更正后的主题党日情况报告";
  await page.goto(`${base}/admin/articles?q=${encodeURIComponent("义务理发")}`);
  await page.getByTestId("admin-article-hits").getByRole("link", { name: WORD.title }).click();
  await page.locator("[data-testid=correct-form] input[name=title]").fill(corrected);
  await page.getByRole("button", { name: "保存更正" }).click();
  await expect(page.getByTestId("flash-done")).toContainText("已更正：标题");
  expect(await resultIds(page, corrected)).toContain(docxId);
  await expect(page.locator("a[data-result-link] mark").first()).toBeVisible();

  // Withdraw the PDF: gone from results, its page 410; then restore it.
  await page.goto(`${base}/admin/articles/${encodeURIComponent(pdfId)}`);
  await page.getByRole("button", { name: /^撤回/u }).click();
  await expect(page.getByTestId("flash-done")).toContainText("已撤回");
  await expect(page.getByTestId("article-state")).toHaveAttribute("data-state", "withdrawn");
  expect(await resultIds(page, pdfQuery)).not.toContain(pdfId);
  const gone = await page.goto(`${base}/articles/${encodeURIComponent(pdfId)}`);
  expect(gone!.status()).toBe(410);
  await expect(page.locator("h1")).toHaveText("本文已撤回");
  await page.goto(`${base}/admin/articles/${encodeURIComponent(pdfId)}`);
  await page.getByRole("button", { name: "恢复" }).click();
  await expect(page.getByTestId("flash-done")).toContainText("已恢复");
  expect(await resultIds(page, pdfQuery)).toContain(pdfId);
  expect((await page.goto(`${base}/articles/${encodeURIComponent(pdfId)}`))!.status()).toBe(200);

  // A reader's search that finds nothing is counted (the beacon goes once the query has stood).
  const beacon = page.waitForRequest((r) => r.url().endsWith("/api/analytics") && r.method() === "POST");
  await page.goto(`${base}/?q=${encodeURIComponent(NO_RESULT)}`);
  await beacon;

  // Sign out: the back office refuses.
  await page.goto(`${base}/admin`);
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.goto(`${base}/admin`);
  await expect(page).toHaveURL(/\/admin\/login$/u);
  expect((await page.request.get(`${base}/admin/runs`, { maxRedirects: 0 })).status()).toBe(307);
});

test("uploaded HTML and SVG with scripts: the SVG refused, the page's text indexed, no script runs under the CSP, the original only downloads", async ({ page }) => {
  await signIn(page, "editor1");
  const html = `<!doctype html><html><head><title>上传网页脚本检验</title><script>window.pwned = "head"</script></head><body><h1>上传网页脚本检验</h1><p>这篇上传的网页里藏着脚本，页面上只应显示文字。<img src=x onerror="window.pwned='img'"><script>window.pwned="body"</script></p></body></html>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned='svg'"><script>window.pwned="svg"</script></svg>`;
  await page.getByTestId("upload-input").setInputFiles([
    { name: "网页.html", mimeType: "text/html", buffer: Buffer.from(html) },
    { name: "图.svg", mimeType: "image/svg+xml", buffer: Buffer.from(svg) },
  ]);
  await expect(page.locator("[data-testid=upload-item][data-status=indexed]")).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator("[data-testid=upload-item][data-status=refused]")).toContainText("不是可收录的格式");
  const href = (await page.getByTestId("uploaded-article").getAttribute("href"))!;
  await page.goto(`${base}${href}`);
  await expect(page.locator("h1")).toHaveText("上传网页脚本检验");
  await expect(page.getByText("这篇上传的网页里藏着脚本")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
  // The original is a download, never a page of this site.
  const [download] = await Promise.all([page.waitForEvent("download"), page.evaluate((url) => (window.location.href = url), `${base}${href}/original`)]);
  expect(download.suggestedFilename()).toBe("网页.html");
  expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
});

test("an admin reads the audit log of it all, and adds a synonym from the no-result report", async ({ page }) => {
  await signIn(page, "admin1");
  await page.goto(`${base}/admin/accounts`);
  const log = page.getByTestId("audit-log");
  for (const action of ["sign-in", "upload", "article correct", "article withdraw", "article restore", "sign-out"]) await expect(log.locator(`td[data-action="${action}"]`).first()).toBeVisible();
  await expect(log).toContainText("editor1");

  await page.goto(`${base}/admin/searches`);
  const row = page.locator(`[data-testid=no-result-queries] tr[data-query="${NO_RESULT}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("finds-now")).toHaveText("仍无结果");
  await row.locator("input[name=terms]").fill("义务理发");
  await row.getByRole("button", { name: "加为同义词" }).click();
  await expect(page.getByTestId("flash-done")).toContainText("已添加同义词组");
  await expect(async () => {
    await page.reload();
    await expect(page.locator(`[data-testid=no-result-queries] tr[data-query="${NO_RESULT}"]`).getByTestId("finds-now")).toContainText("能找到");
  }).toPass({ timeout: 15_000 });
  expect((await resultIds(page, NO_RESULT)).length).toBeGreaterThan(0);
});
