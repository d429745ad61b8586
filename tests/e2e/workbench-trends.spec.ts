import { expect, test } from "@playwright/test";

// Every page of these tests renders and hydrates without an error (React reports a server/browser mismatch as one).
const errors: string[] = [];
test.beforeEach(({ page }) => {
  errors.length = 0;
  page.on("pageerror", (e) => errors.push(e.message));
});
test.afterEach(() => expect(errors).toEqual([]));

test("a trends chart of two queries: two lines, a table, and a point that opens the search of its year", async ({ page, request }) => {
  await page.goto(`/trends?q=${encodeURIComponent("党建")}&q=${encodeURIComponent("学习")}`);
  const chart = page.getByTestId("trend-chart");
  await expect(chart.locator("path.recharts-line-curve")).toHaveCount(2);
  const api = await (await request.get(`/api/trends?q=${encodeURIComponent("党建")}&q=${encodeURIComponent("学习")}`)).json();
  await expect(chart.locator("[data-testid=trend-point]")).toHaveCount(api.buckets.length * 2);
  await expect(page.getByTestId("trend-table").locator("tbody tr")).toHaveCount(api.buckets.length);
  // The first year with articles about 学习: its point opens those articles.
  const i = api.series[1].articles.findIndex((n: number) => n > 0);
  const year = api.buckets[i];
  await chart.locator(`[data-testid=trend-point][data-series="1"][data-bucket="${year}"]`).click();
  await expect(page).toHaveURL(new RegExp(`from=${year}-01-01&to=${year}-12-31`, "u"));
  expect(new URL(page.url()).searchParams.get("q")).toBe("学习");
  await expect(page.getByTestId("result-count")).toContainText(`找到 ${api.series[1].articles[i]} `);
});

test("the trends page: every results page links to it, and its CSV downloads", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent("志愿")}`);
  await page.getByTestId("trends-link").click();
  await expect(page).toHaveURL(/\/trends\?q=%E5%BF%97%E6%84%BF/u);
  await expect(page.getByTestId("trend-chart")).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("trends-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^提法趋势-志愿-\d{8}\.csv$/u);
  const text = (await (await import("node:fs/promises")).readFile((await download.path())!, "utf8")).replace(/^\uFEFF/u, "");
  expect(text.split("\r\n")[0]).toBe("年份,全部文章,志愿 文章数,志愿 出现次数,志愿 占比");
});
