import { expect, test } from "@playwright/test";

test("author filter and date range narrow results and survive reload and the back button", async ({ page }) => {
  await page.goto("/?q=党员");
  const count = async () => Number((await page.getByTestId("result-count").locator("strong").textContent()) ?? "0");
  const all = await count();
  expect(all).toBeGreaterThan(3);

  await page.getByRole("complementary", { name: "筛选" }).getByRole("link", { name: /^王建国/u }).click();
  await expect(page).toHaveURL(/author=%E7%8E%8B%E5%BB%BA%E5%9B%BD/u);
  await expect(page.getByRole("link", { name: "移除 作者：王建国" })).toBeVisible();
  await expect.poll(count).toBeLessThan(all);
  const byAuthor = await count();
  expect(byAuthor).toBeLessThan(all);
  for (const meta of await page.locator("ol[aria-label='搜索结果'] > li p:first-of-type").allTextContents()) expect(meta).toMatch(/王建国|王建國/u);

  await page.getByLabel("从").fill("2021");
  await page.getByLabel("到").fill("2021");
  await page.getByRole("button", { name: "应用" }).click();
  await expect(page).toHaveURL(/from=2021&to=2021/u);
  await expect(page.getByRole("link", { name: "移除 时间：2021 年" })).toBeVisible();
  const narrowed = await count();
  expect(narrowed).toBeLessThan(byAuthor);
  for (const d of await page.locator("ol[aria-label='搜索结果'] time").allTextContents()) expect(d.startsWith("2021")).toBe(true);

  await page.reload();
  await expect(page.getByRole("link", { name: "移除 作者：王建国" })).toBeVisible();
  await expect.poll(count).toBe(narrowed);

  // Back renders the previous state on the client: wait for it, not just for the URL.
  await page.goBack();
  await expect(page).not.toHaveURL(/from=2021/u);
  await expect.poll(count).toBe(byAuthor);
  await page.goBack();
  await expect(page).not.toHaveURL(/author=/u);
  await expect.poll(count).toBe(all);
});
