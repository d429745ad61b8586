import { expect, test } from "@playwright/test";

test("a Simplified query finds a Traditional article and marks 黨建 in it", async ({ page }) => {
  await page.goto("/?q=党建");
  const result = page.locator("li", { has: page.getByRole("link", { name: "以黨建創新推動基層治理提質增效" }) });
  await expect(result).toBeVisible();
  await expect(result.locator("h2 mark")).toHaveText("黨建");
  await expect(result.locator("p mark").first()).toHaveText("黨建");
});

test("a Traditional query reads as its Simplified words", async ({ page }) => {
  await page.goto("/?q=黨建工作");
  await expect(page.locator("#query-reading")).toContainText("党建工作");
  await expect(page.locator("[data-result-link]").first()).toBeVisible();
});
