// Screenshots of the document pages (a PDF's reading page with its page links,
// the PDF page viewer, a 公文, a scan, the 文种/发文机关 facets) at desktop
// and phone width, on a library with generated documents and the production
// server: `npx tsx testkit/document-screenshots.ts` writes docs/screenshots/doc-*.png.
import { promises as fs } from "node:fs";
import path from "node:path";
import { articleHtml, imagePdf, launchBrowser, makeDocx, officialFixtures, officialHtml, printPdf, renderScan, TRADITIONAL } from "./documents";
import { makeLibrary } from "./library";
import { startProductionServer } from "./production-server";
void (async () => {
  const lib = await makeLibrary("shots");
  const browser = await launchBrowser();
  const dir = path.join(lib.content, "documents");
  await fs.mkdir(dir, { recursive: true });
  const official = officialFixtures(1, 31)[0];
  const LONG = { title: "党员教育培训工作规程", paragraphs: Array.from({ length: 22 }, (_, i) => `第${i + 1}项　党员教育培训要坚持理论联系实际，${i === 17 ? "组织党员到红色教育基地开展现场教学，" : ""}注重培训实效，每年集中培训时间一般不少于三十二学时，并建立培训档案。`) };
  await fs.writeFile(path.join(dir, "rules.pdf"), await printPdf(browser, articleHtml(LONG), { pageNumbers: true }));
  await fs.writeFile(path.join(dir, "notice.pdf"), await printPdf(browser, officialHtml(official)));
  await fs.writeFile(path.join(dir, "speech-scan.pdf"), await imagePdf(browser, [await renderScan(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" }))]));
  await fs.writeFile(path.join(dir, "minutes.docx"), await makeDocx({ title: "第二党支部委员会会议纪要", paragraphs: ["会议研究了发展对象政治审查工作。", "会议要求各党小组认真落实谈心谈话制度。"] }));
  await lib.reindex();
  const server = await startProductionServer(lib.index);
  const search = async (q: string) => (await (await fetch(`${server.base}/api/search?q=${encodeURIComponent(q)}`)).json()) as { hits: Array<{ id: string; ocr: boolean; docNumber: string | null; format: string | null }> };
  const pdfId = (await search("红色教育基地")).hits.find((h) => h.format === "pdf")!.id;
  const officialId = (await search(official.expected.docNumber)).hits.find((h) => h.docNumber)!.id;
  const scanId = (await search("联系群众制度")).hits.find((h) => h.ocr)!.id;
  const pages: Array<[string, string]> = [
    ["doc-reading-pdf", `/articles/${pdfId}?q=${encodeURIComponent("红色教育基地")}`],
    ["doc-pdf-viewer", `/articles/${pdfId}/pdf?page=2`],
    ["doc-official", `/articles/${officialId}?q=${encodeURIComponent("党费")}`],
    ["doc-scan", `/articles/${scanId}?q=${encodeURIComponent("联系群众")}`],
    ["doc-search-facets", `/?q=${encodeURIComponent("工作")}`],
  ];
  for (const [name, url] of pages) {
    for (const [w, h, tag] of [[1280, 900, "desktop"], [390, 844, "phone"]] as const) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      page.on("pageerror", (e) => console.error(`${name}: ${e.message}`));
      await page.goto(server.base + url);
      if (name === "doc-pdf-viewer") await page.locator('canvas[data-state="shown"]').waitFor({ timeout: 20000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join("docs/screenshots", `${name}-${tag}.png`), fullPage: name !== "doc-pdf-viewer" });
      await page.close();
    }
  }
  server.stop();
  await browser.close();
  await lib.cleanup();
})();
