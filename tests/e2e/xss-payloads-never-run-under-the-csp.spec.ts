import { expect, test, type Page } from "@playwright/test";

/** Everything a page could do wrong: a dialog opened, an uncaught error, an error in the console (CSP reports land there). */
function watch(page: Page) {
  const events: string[] = [];
  page.on("dialog", async (d) => {
    events.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on("pageerror", (e) => events.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && events.push(`console error: ${m.text()} at ${m.location().url} on ${page.url()}`));
  page.on("response", (r) => r.status() >= 400 && events.push(`${r.status()} ${r.request().resourceType()} ${r.url()}`));
  return events;
}

test("markup in titles, bodies, authors, sources, URLs and the query never runs, with the CSP on", async ({ page }) => {
  const events = watch(page);
  const response = await page.goto(`/?q=${encodeURIComponent("元数据安全测试")}`);
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/u);
  expect(csp.split(";").find((d) => d.trim().startsWith("script-src"))).not.toContain("unsafe-inline");

  // The result shows author and source as text; the filters list them as text too.
  const result = page.locator("[data-result-link]").first();
  await expect(result).toContainText(`"><svg onload=alert('t2')>元数据安全测试`);
  await expect(page.getByText(`<img src=x onerror=alert('author')>`).first()).toBeVisible();
  await expect(page.getByText(`"><script>alert('source')</script>`).first()).toBeVisible();
  await expect(page.locator("main svg[onload], main img[onerror], main iframe")).toHaveCount(0);

  await result.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("元数据安全测试");
  await expect(page.getByText("元数据里的标记也只是文字：<iframe src=javascript:alert('iframe')></iframe>")).toBeVisible();
  // A javascript: address is no link, in the body or as the original URL.
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(page.getByRole("link", { name: "查看原文" })).toHaveCount(0);

  await page.goto(`/?q=${encodeURIComponent(`"><script>alert('q')</script><svg onload=alert('q3')>`)}`);
  await expect(page.getByRole("combobox", { name: "搜索文章" })).toHaveValue(`"><script>alert('q')</script><svg onload=alert('q3')>`);
  await page.goto(`/articles/markup-in-metadata?q=${encodeURIComponent(`<img src=x onerror=alert('hl')>`)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForTimeout(300);
  expect(events).toEqual([]);
});

test("the policy is enforced: markup that slipped into the page could not run", async ({ page }) => {
  const events = watch(page);
  await page.goto("/");
  await expect(page.getByRole("combobox", { name: "搜索文章" })).toBeVisible();
  // What an injection would look like if text ever became markup: an inline handler, and a javascript: URL.
  // ('strict-dynamic' trusts scripts that the app's own nonced scripts create; markup is not that.)
  const ran = await page.evaluate(async () => {
    const box = document.createElement("div");
    box.innerHTML = `<img src="data:," onerror="window.__injected = 'handler'"><a id="js-link" href="javascript:window.__injected='link'">x</a>`;
    document.body.appendChild(box);
    (document.getElementById("js-link") as HTMLAnchorElement).click();
    await new Promise((r) => setTimeout(r, 200));
    return (window as unknown as { __injected?: string }).__injected ?? null;
  });
  expect(ran).toBeNull();
  await expect.poll(() => events.some((e) => /Content Security Policy/u.test(e))).toBe(true);
  // The app's own scripts carry the nonce and run: typing searches.
  await page.getByRole("combobox", { name: "搜索文章" }).fill("党建");
  await expect(page).toHaveURL(/q=%E5%85%9A%E5%BB%BA/u);
});
