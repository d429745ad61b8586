import { expect, test } from "@playwright/test";

test("the reading page marks every match and moves between them with buttons and keys", async ({ page }) => {
  await page.goto("/?q=党建");
  await page.getByRole("link", { name: "以黨建創新推動基層治理提質增效" }).click();
  await expect(page).toHaveURL(/\/articles\/traditional-2023-party-building-governance\?q=/u);
  const marks = page.locator("article .reading mark");
  const total = await marks.count();
  expect(total).toBeGreaterThanOrEqual(3);
  await expect(marks.first()).toHaveText("黨建");
  const position = page.getByTestId("match-position");
  await expect(position).toHaveText(`共 ${total} 处匹配`);

  await page.getByRole("button", { name: "下一处" }).click();
  await expect(position).toHaveText(`第 1 / ${total} 处匹配`);
  await expect(page.locator("#m-0")).toHaveAttribute("data-current", "");
  await page.keyboard.press("n");
  await expect(position).toHaveText(`第 2 / ${total} 处匹配`);
  await expect(page.locator("#m-1")).toBeInViewport();
  await page.keyboard.press("p");
  await page.keyboard.press("p");
  await expect(position).toHaveText(`第 ${total} / ${total} 处匹配`);

  await page.getByRole("link", { name: "← 返回搜索结果" }).click();
  await expect(page).toHaveURL(/\/\?q=%E5%85%9A%E5%BB%BA$/u);
});

test("without a query the reading page has no highlights", async ({ page }) => {
  await page.goto("/articles/traditional-2023-party-building-governance");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("以黨建創新推動基層治理提質增效");
  await expect(page.locator("mark")).toHaveCount(0);
});

test("an unknown article gets a 404 page", async ({ page }) => {
  const res = await page.goto("/articles/no-such-article");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "找不到这篇文章" })).toBeVisible();
});
