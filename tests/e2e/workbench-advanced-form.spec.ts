import { expect, test, type Page } from "@playwright/test";

// Every page of these tests renders and hydrates without an error (React reports a server/browser mismatch as one).
const errors: string[] = [];
test.beforeEach(({ page }) => {
  errors.length = 0;
  page.on("pageerror", (e) => errors.push(e.message));
});
test.afterEach(() => expect(errors).toEqual([]));

/** Fills the advanced form: titles holding 党建, without 通知; submits it. */
async function fillAndSubmit(page: Page) {
  await page.goto("/advanced");
  await page.getByLabel("包含全部这些词").fill("党建");
  await page.getByLabel("不包含这些词").fill("通知");
  await page.getByRole("radio", { name: /标题/ }).check();
  await page.getByRole("button", { name: "搜索", exact: true }).last().click();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the advanced form (JavaScript ${javaScriptEnabled ? "on" : "off"})`, () => {
    test.use({ javaScriptEnabled });

    test("composes 标题:党建 -标题:通知 into the search box and finds exactly the articles whose titles hold 党建", async ({ page, request }) => {
      await fillAndSubmit(page);
      await expect(page).toHaveURL(/\/\?q=/u);
      const q = new URL(page.url()).searchParams.get("q");
      expect(q).toBe("标题:党建 -标题:通知");
      await expect(page.getByRole("combobox", { name: "搜索文章" })).toHaveValue("标题:党建 -标题:通知");
      // The API's answer for the same query, every article: each title holds 党建 (either script), none 通知.
      const api = await (await request.get(`/api/search?q=${encodeURIComponent(q!)}&size=100&group=0`)).json();
      expect(api.totalArticles).toBeGreaterThan(1);
      for (const hit of api.hits) {
        expect(hit.title).toMatch(/党建|黨建/u);
        expect(hit.title).not.toMatch(/通知/u);
      }
      const all = await (await request.get(`/api/search?q=${encodeURIComponent("党建")}&size=100&group=0`)).json();
      const inTitles = all.hits.filter((h: { title: string }) => /党建|黨建/u.test(h.title) && !/通知/u.test(h.title)).map((h: { id: string }) => h.id);
      expect(api.hits.map((h: { id: string }) => h.id).sort()).toEqual(inTitles.sort());
      await expect(page.getByTestId("result-count")).toContainText(String(api.total));
      // The reading says what the query was read as.
      await expect(page.locator("#query-reading [data-kind=field]")).toHaveText("标题：党建");
      await expect(page.locator("#query-reading [data-kind=excluded]")).toHaveText("−标题：通知");
    });
  });
}

test("the form shows the query it will run as it is filled in", async ({ page }) => {
  await page.goto("/advanced");
  await page.getByLabel("包含任意一个词").fill("乡村振兴 脱贫攻坚");
  await page.getByLabel("包含完整的词句").fill("全面从严治党");
  await expect(page.getByTestId("advanced-preview")).toHaveText('"全面从严治党" 乡村振兴 | 脱贫攻坚');
});
