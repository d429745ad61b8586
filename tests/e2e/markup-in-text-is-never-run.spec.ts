import { expect, test } from "@playwright/test";

test("a <script> or <img onerror> in an article or in the query is shown as text, never run", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto("/?q=网页安全");
  const link = page.locator("[data-result-link]").first();
  await expect(link).toContainText("<script>alert('title')</script>");
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("<script>alert('title')</script>网页安全知识讲座");
  await expect(page.getByText(`<img src=x onerror="alert('body')">`, { exact: false })).toBeVisible();
  await expect(page.locator("article img")).toHaveCount(0);

  // Facet values (authors, sources) and results are written as HTML strings: their markup is text there too.
  await page.goto("/?q=元数据安全测试");
  await expect(page.locator("[data-result-link]").first()).toContainText(`"><svg onload=alert('t2')>元数据安全测试`);
  await expect(page.getByRole("link", { name: `<img src=x onerror=alert('author')>` })).toBeVisible();
  await expect(page.getByRole("link", { name: `"><script>alert('source')</script>` })).toBeVisible();
  await expect(page.locator("main img, main svg, main script")).toHaveCount(0);

  await page.goto(`/?q=${encodeURIComponent(`<script>alert('q')</script><img src=x onerror=alert('q2')>`)}`);
  await expect(page.getByRole("combobox", { name: "搜索文章" })).toHaveValue(`<script>alert('q')</script><img src=x onerror=alert('q2')>`);
  await expect(page.locator("main img")).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
});
