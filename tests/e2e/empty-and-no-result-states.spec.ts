import { expect, test } from "@playwright/test";

test("an empty query lists the newest articles with the filters still usable", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("result-count")).toContainText("全部");
  const dates = await page.locator("ol[aria-label='搜索结果'] time").allTextContents();
  expect(dates.length).toBeGreaterThan(3);
  expect(dates).toEqual([...dates].sort().reverse());
  await page.getByRole("complementary", { name: "筛选" }).getByRole("link", { name: /^清風周刊|^清风周刊/u }).first().click();
  await expect(page).toHaveURL(/source=/u);
  await expect(page.getByTestId("result-count")).toContainText("符合条件的");
});

test("no results says so, shows what was searched and suggests what to remove", async ({ page }) => {
  await page.goto("/?q=党建 量子计算机&author=王建国");
  await expect(page.getByRole("heading", { name: /没有找到与“党建 量子计算机”相关的文章/u })).toBeVisible();
  await expect(page.getByRole("link", { name: "去掉筛选条件再搜索" })).toBeVisible();
  await page.getByRole("link", { name: "党建", exact: true }).click();
  await expect(page).toHaveURL(/q=%E5%85%9A%E5%BB%BA&author=/u);
});
