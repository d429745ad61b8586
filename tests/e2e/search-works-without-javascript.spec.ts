import { expect, test } from "@playwright/test";

test.use({ javaScriptEnabled: false });

test("with JavaScript off, the search form submits and the server renders results", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("combobox", { name: "搜索文章" }).fill("乡村振兴");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4/u);
  await expect(page.locator("ol[aria-label='搜索结果'] mark").first()).toHaveText("乡村振兴");
  // Filters are links and forms: they work too.
  await page.getByRole("link", { name: "最新", exact: true }).click();
  await expect(page).toHaveURL(/sort=newest/u);
  await expect(page.locator("[data-result-link]").first()).toBeVisible();
});
