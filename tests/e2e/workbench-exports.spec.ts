import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";

// Every page of these tests renders and hydrates without an error (React reports a server/browser mismatch as one).
const errors: string[] = [];
test.beforeEach(({ page }) => {
  errors.length = 0;
  page.on("pageerror", (e) => errors.push(e.message));
});
test.afterEach(() => expect(errors).toEqual([]));

/** Downloads one format from the results page's 导出 menu. */
async function exported(page: Page, format: string) {
  const menu = page.getByTestId("export-menu");
  if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-testid=export-menu] a[data-format=${format}]`).click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test("CSV and XLSX exports of a results page open and read back with one row per result, in the page's order", async ({ page, request }) => {
  await page.goto(`/?q=${encodeURIComponent("党建")}`);
  const api = await (await request.get(`/api/search?q=${encodeURIComponent("党建")}&size=100`)).json();
  await expect(page.getByTestId("result-count")).toContainText(`找到 ${api.total} `);
  const csv = await exported(page, "csv");
  expect(csv.name).toMatch(/^党建文章-党建-\d{8}\.csv$/u);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows: string[][] = parse(csv.bytes.toString("utf8").slice(1));
  expect(rows[0]).toEqual(["标题", "作者", "来源", "日期", "原文链接", "文号", "阅读页", "摘要"]);
  expect(rows.length - 1).toBe(api.total);
  expect(rows.slice(1).map((r) => r[0])).toEqual(api.hits.map((h: { title: string }) => h.title));
  const xlsx = await exported(page, "xlsx");
  expect(xlsx.name).toMatch(/\.xlsx$/u);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  const sheet = book.getWorksheet("检索结果")!;
  expect(sheet.rowCount - 1).toBe(api.total);
  expect(sheet.getRow(2).getCell(1).text).toBe(api.hits[0].title);
});

test("RIS and BibTeX exports hold one record per result", async ({ page, request }) => {
  await page.goto(`/?q=${encodeURIComponent("学习")}&group=0`);
  const api = await (await request.get(`/api/search?q=${encodeURIComponent("学习")}&group=0&size=1`)).json();
  const ris = (await exported(page, "ris")).bytes.toString("utf8");
  expect(ris.match(/^TY {2}- /gmu)).toHaveLength(api.total);
  const bib = (await exported(page, "bib")).bytes.toString("utf8");
  expect(bib.match(/^@(online|article)\{/gmu)).toHaveLength(api.total);
});
