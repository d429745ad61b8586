import { expect, test } from "@playwright/test";

test("typing in the search box shows highlighted results and puts the query in the URL", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索文章" });
  await box.pressSequentially("三会一课", { delay: 30 });
  await expect(page).toHaveURL(/\?q=%E4%B8%89%E4%BC%9A%E4%B8%80%E8%AF%BE$/u);
  const first = page.locator("[data-result-link]").first();
  await expect(first).toContainText("三会一课");
  await expect(first.locator("mark")).toHaveText("三会一课");
  await expect(page.getByTestId("result-count")).toContainText("找到");
  await expect(page).toHaveTitle(/三会一课/u);
  await expect(page.locator("#query-reading")).toContainText("三会一课");
});
