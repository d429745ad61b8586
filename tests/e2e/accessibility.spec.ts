import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// axe-core on every kind of page, at desktop and phone width: no critical or serious violations.
const PAGES: Array<{ name: string; url: string; prepare?: (page: Page) => Promise<void> }> = [
  { name: "results", url: `/?q=${encodeURIComponent("党建")}` },
  { name: "empty query (latest articles)", url: "/" },
  { name: "no results", url: `/?q=${encodeURIComponent("量子计算机")}` },
  { name: "reading page", url: `/articles/repost-original?q=${encodeURIComponent("红色")}` },
  { name: "repost group", url: `/?q=${encodeURIComponent("红色教育基地")}` },
  { name: "did you mean", url: "/?q=dangjian" },
  {
    name: "suggestion list open",
    url: "/",
    prepare: async (page) => {
      const box = page.getByRole("combobox", { name: "搜索文章" });
      await box.pressSequentially("dangjian", { delay: 30 });
      await expect(page.getByRole("listbox", { name: "搜索建议" })).toBeVisible();
      await box.press("ArrowDown");
    },
  },
  { name: "article not found", url: "/articles/no-such-article" },
];

for (const width of [1280, 390]) {
  test(`no critical or serious accessibility violations at ${width} px`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    const found: string[] = [];
    for (const p of PAGES) {
      await page.goto(p.url);
      await p.prepare?.(page);
      const results = await new AxeBuilder({ page }).analyze();
      for (const v of results.violations) {
        if (v.impact === "critical" || v.impact === "serious") found.push(`${p.name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      }
      expect(await page.locator("h1").count(), `${p.name} has a level-one heading`).toBeGreaterThan(0);
    }
    expect(found).toEqual([]);
  });
}
