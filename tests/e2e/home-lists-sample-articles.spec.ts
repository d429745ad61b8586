import { expect, test } from "@playwright/test";

test("the home page lists the bundled sample articles and opens one", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const link = page.getByRole("link", { name: "黨支部讀書角成了黨員的「加油站」" });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("黨支部讀書角成了黨員的「加油站」");
  await expect(page.getByText("陳志明")).toBeVisible();
});
