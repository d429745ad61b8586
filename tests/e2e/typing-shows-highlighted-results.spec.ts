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

test("typing asks /api/search, not a server render of the page, and a facet link after it is a normal navigation", async ({ page }) => {
  await page.goto("/");
  const api: string[] = [];
  const renders: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname === "/api/search") api.push(url.searchParams.get("q") ?? "");
    else if (url.pathname === "/" && r.headers()["rsc"]) renders.push(url.search);
  });
  await page.getByRole("combobox", { name: "搜索文章" }).pressSequentially("党建", { delay: 30 });
  await expect(page).toHaveURL(/\?q=%E5%85%9A%E5%BB%BA$/u);
  await expect(page.locator("[data-result-link]").first().locator("mark").first()).toHaveText(/党建|黨建/u);
  expect(api).toContain("党建");
  expect(renders).toEqual([]);
  // The sidebar follows the typed query: its links carry it, and one navigates with the filter added.
  const author = page.locator('a[href*="author="]').first();
  await expect(author).toHaveAttribute("href", /q=%E5%85%9A%E5%BB%BA/u);
  await author.click();
  await expect(page).toHaveURL(/author=/u);
  await expect(page.getByTestId("result-count")).toContainText("找到");
  await expect(page.locator("#q")).toHaveValue("党建");
});

test("the results dim under a loading bar only when an answer is slow, not at every keystroke", async ({ page }) => {
  await page.goto("/");
  // Every appearance of the loading bar, recorded in the page.
  await page.evaluate(() => {
    const w = window as unknown as { __bars: number };
    w.__bars = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.matches('[role="status"]')) w.__bars++;
    }).observe(document.body, { childList: true, subtree: true });
  });
  const bars = () => page.evaluate(() => (window as unknown as { __bars: number }).__bars);
  const box = page.getByRole("combobox", { name: "搜索文章" });
  await box.pressSequentially("党建", { delay: 30 });
  await expect(page).toHaveURL(/\?q=%E5%85%9A%E5%BB%BA$/u);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  expect(await bars()).toBe(0);

  // A slow answer: the bar shows, the results dim, and both go when it arrives.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/api/search?**", async (route) => {
    await held;
    await route.continue();
  });
  await box.fill("三会一课");
  const bar = page.getByRole("status", { name: "正在加载结果" });
  await expect(bar).toBeVisible();
  await expect(page.locator('[aria-busy="true"] > div.opacity-50')).toHaveCount(1);
  release();
  await expect(bar).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page.locator("[data-result-link]").first().locator("mark").first()).toHaveText("三会一课");
  expect(await bars()).toBe(1);
});
