import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import mammoth from "mammoth";

// Every page of these tests renders and hydrates without an error (React reports a server/browser mismatch as one).
const errors: string[] = [];
test.beforeEach(({ page }) => {
  errors.length = 0;
  page.on("pageerror", (e) => errors.push(e.message));
});
test.afterEach(() => expect(errors).toEqual([]));

const ARTICLE = "/articles/traditional-2023-party-building-governance";

test("a result opens its reading page at the paragraph of the first match (#pN)", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent("积分情况")}`);
  await page.locator("[data-result-link]").first().click();
  await expect(page).toHaveURL(/#p2$/u);
  await expect(page.locator("#p2")).toBeInViewport();
});

test("the citation is copied in one click, GB/T 7714 with its dates", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(ARTICLE);
  await page.getByTestId("citation").locator("summary").click();
  const text = await page.locator("#cite-gbt").textContent();
  expect(text).toMatch(/^王建國\. 以黨建創新推動基層治理提質增效\[EB\/OL\]\. \(2023-12-01\)\[\d{4}-\d{2}-\d{2}\]\. http:\/\/127\.0\.0\.1:\d+\/articles\/traditional-2023-party-building-governance\.$/u);
  await page.getByTestId("copy-cite-gbt").click();
  await expect(page.getByTestId("copy-cite-gbt")).toHaveText("已复制");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  // The API gives the same citation.
  const api = await (await page.request.get(`/api/articles/traditional-2023-party-building-governance`)).json();
  expect(api.citation.gbt7714).toBe(text);
});

test("the QR code is made only when opened, and is the page's address as an image", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (r) => {
    if (/\/qr(\?|$)/u.test(r.url())) asked.push(r.url());
  });
  await page.goto(`${ARTICLE}?q=${encodeURIComponent("党建")}`);
  await page.waitForLoadState("networkidle");
  expect(asked).toEqual([]);
  await page.getByTestId("qr").locator("summary").click();
  const img = page.getByTestId("qr").locator("img");
  await expect(img).toHaveAttribute("alt", /^本页二维码：http:\/\/127\.0\.0\.1:\d+\/articles\/traditional-2023-party-building-governance$/u);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  expect(asked).toHaveLength(1);
  const svg = await page.request.get(asked[0]);
  expect(svg.headers()["content-type"]).toBe("image/svg+xml");
  const body = await svg.text();
  expect(body).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/u);
  expect(body).not.toMatch(/<script|<text|href=/iu);
  // The query travels in the address it encodes: a longer address, a larger code.
  const plain = await (await page.request.get(asked[0].replace(/\?.*$/u, ""))).text();
  expect(Number(/viewBox="0 0 (\d+)/u.exec(body)![1])).toBeGreaterThan(Number(/viewBox="0 0 (\d+)/u.exec(plain)![1]));
});

test("two paragraphs collected, the collection exported as .docx and read back with its citations", async ({ page }) => {
  await page.goto(ARTICLE);
  const first = await page.locator("#p1 [data-paragraph-text]").textContent();
  const third = await page.locator("#p3 [data-paragraph-text]").textContent();
  await page.getByRole("button", { name: "摘录第 1 段" }).click();
  await expect(page.getByTestId("collect-status")).toContainText("已摘录第 1 段");
  await page.getByRole("button", { name: "摘录第 3 段" }).click();
  await expect(page.getByTestId("collect-status")).toContainText("共 2 条");
  await page.goto("/collections");
  await expect(page.getByTestId("excerpt")).toHaveCount(2);
  // Reorder and annotate: the third paragraph first, with a note; a reload keeps both.
  await page.getByRole("button", { name: "下移第 1 条" }).click();
  await page.getByTestId("excerpt-note").first().fill("用于述职报告第二部分");
  await page.getByTestId("excerpt-note").first().blur();
  await page.reload();
  await expect(page.getByTestId("excerpt").first().locator("blockquote")).toHaveText(third!);
  await expect(page.getByTestId("excerpt-note").first()).toHaveValue("用于述职报告第二部分");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-docx").click()]);
  expect(download.suggestedFilename()).toMatch(/^素材夹-我的素材-\d{8}\.docx$/u);
  const { value } = await mammoth.extractRawText({ buffer: await readFile((await download.path())!) });
  expect(value).toContain(first!);
  expect(value).toContain(third!);
  expect(value.indexOf(third!)).toBeLessThan(value.indexOf(first!));
  expect(value).toContain("批注：用于述职报告第二部分");
  expect(value).toMatch(/出处：\[1\] 王建國\. 以黨建創新推動基層治理提質增效\[EB\/OL\]\. \(2023-12-01\)\[\d{4}-\d{2}-\d{2}\]/u);
  expect(value).toMatch(/出处：\[2\] 王建國/u);
  expect(value).toMatch(/#p3/u);
  const [md] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-markdown").click()]);
  const markdown = await readFile((await md.path())!, "utf8");
  expect(markdown).toMatch(/^# 我的素材\n/u);
  expect(markdown).toContain(`> ${third}`);
});

test("print preview of a reading page: the text and its citation, no navigation or buttons", async ({ page }) => {
  await page.goto(`${ARTICLE}?q=${encodeURIComponent("党建")}`);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("header")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "返回" })).toBeHidden();
  await expect(page.getByTestId("match-position")).toBeHidden();
  await expect(page.getByTestId("citation")).toBeHidden();
  await expect(page.locator(".paragraph-tools").first()).toBeHidden();
  await expect(page.locator("h1")).toBeVisible();
  await expect(page.locator("#p1")).toBeVisible();
  await expect(page.getByTestId("print-citation")).toBeVisible();
  await expect(page.getByTestId("print-citation")).toContainText("[EB/OL]");
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
});
