import { expect, test } from "@playwright/test";

// Content: the sample library plus tests/fixtures/e2e/reposts.jsonl (one piece published three times, and a different piece with the same opening).

test("pinyin typed in the box suggests the word, and the keyboard picks a suggestion", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索文章" });
  await box.pressSequentially("dangjian", { delay: 30 });
  const list = page.getByRole("listbox", { name: "搜索建议" });
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  const first = list.getByRole("option").first();
  await expect(first).toContainText("党建");
  await expect(first).toContainText("拼音");
  await box.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
  await box.press("Enter");
  await expect(box).toHaveValue("党建");
  await expect(page).toHaveURL(/\?q=%E5%85%9A%E5%BB%BA$/u);
  await expect(list).toBeHidden();
  await expect(page.locator("[data-result-link]").first().locator("mark").first()).toBeVisible();
});

test("initials and Traditional input get suggestions too; Escape closes the list", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索文章" });
  await box.pressSequentially("djgz", { delay: 30 });
  await expect(page.getByRole("option", { name: /党建工作/u })).toBeVisible();
  await box.press("Escape");
  await expect(page.getByRole("listbox", { name: "搜索建议" })).toBeHidden();
  await box.fill("");
  await box.pressSequentially("黨", { delay: 30 });
  await expect(page.getByRole("option").first()).toContainText("党");
});

test("a homophone typo and a pinyin query get a did-you-mean link that searches the word", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent("党键工作")}`);
  const dym = page.getByTestId("did-you-mean");
  await expect(dym).toContainText("党建工作");
  await dym.getByRole("link", { name: "党建工作" }).click();
  await expect(page).toHaveURL(/\?q=%E5%85%9A%E5%BB%BA%E5%B7%A5%E4%BD%9C$/u);
  await expect(page.locator("[data-result-link]").first()).toBeVisible();
  await page.goto("/?q=dangjian");
  await expect(page.getByTestId("did-you-mean").getByRole("link", { name: "党建" })).toBeVisible();
});

test("a repost group shows once with its other sources; group=0 lists every copy", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent("红色教育基地")}`);
  const titles = page.locator("[data-result-link]");
  await expect(titles.filter({ hasText: /迎(来|來)参观高峰|迎來參觀高峰/u })).toHaveCount(1);
  const copies = page.getByTestId("copies");
  await expect(copies).toHaveCount(1);
  await expect(copies).toContainText("共 3 处发布");
  await expect(page.getByTestId("result-count")).toContainText("转载合并显示");
  await page.goto(`/?q=${encodeURIComponent("红色教育基地")}&group=0`);
  await expect(page.locator("[data-result-link]").filter({ hasText: /参观高峰|參觀高峰/u })).toHaveCount(3);
});

test("the reading page lists related articles (never its reposts) and key terms that search", async ({ page }) => {
  await page.goto("/articles/repost-original");
  const related = page.getByTestId("related");
  await expect(related.getByRole("link").first()).toBeVisible();
  await expect(related).not.toContainText("迎来参观高峰");
  await expect(page.getByTestId("copies").getByRole("link")).toHaveCount(2);
  const keyword = page.getByTestId("keywords").getByRole("link").first();
  const term = (await keyword.textContent())!.trim();
  await keyword.click();
  await expect(page.getByRole("combobox", { name: "搜索文章" })).toHaveValue(term);
  await expect(page.locator("[data-result-link]").first()).toBeVisible();
});

test("a synonym query says how it was read and finds the abbreviation", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent("党的第二十次全国代表大会")}`);
  await expect(page.getByTestId("query-expanded")).toContainText("二十大");
  await expect(page.locator("[data-result-link]").first()).toBeVisible();
});
