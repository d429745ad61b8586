import { expect, test } from "@playwright/test";

test.use({ viewport: { width: 390, height: 844 } });

test("at phone width the filters open in a drawer and close after choosing one", async ({ page }) => {
  await page.goto("/?q=党员");
  const panel = page.getByRole("complementary", { name: "筛选" });
  await expect(panel).toBeHidden();
  await page.getByRole("button", { name: /筛选/u }).click();
  await expect(panel).toBeVisible();
  await panel.getByRole("link", { name: "最新", exact: true }).click();
  await expect(page).toHaveURL(/sort=newest/u);
  await expect(panel).toBeHidden();
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
