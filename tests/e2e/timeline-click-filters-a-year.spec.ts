import { expect, test } from "@playwright/test";

test("clicking a year in the timeline filters the results to that year", async ({ page }) => {
  await page.goto("/?q=党支部");
  const bar = page.getByRole("listitem", { name: /^2021年：[1-9]\d* 篇$/u });
  const label = await bar.getAttribute("aria-label");
  const expected = Number(/：(\d+) 篇/u.exec(label!)![1]);
  // The bars are plain links written as one HTML string; SoftNavigation makes a click a navigation of the app, not a reload.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await bar.click();
  await expect(page).toHaveURL(/from=2021&to=2021/u);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  // The bar counts articles; the count line says as many articles (reposts shown once may make fewer results).
  await expect(page.getByTestId("result-count")).toContainText(new RegExp(`(^|[^0-9])${expected} 篇文章`, "u"));
  for (const d of await page.locator("ol[aria-label='搜索结果'] time").allTextContents()) expect(d.startsWith("2021")).toBe(true);
  await expect(page.getByRole("link", { name: "移除 时间：2021 年" })).toBeVisible();
});
