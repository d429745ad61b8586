// Documents end to end: Word (.docx, .doc, .wps), a paged PDF, a 公文, a scan
// and a GBK page brought in by `npm run import` from a local site are indexed,
// found by the production server's search (a document number typed with
// other brackets too), and shown on the reading page with their matches
// marked, their page beside each, and the scan's note.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import iconv from "iconv-lite";
import { runImport } from "@/lib/content/importer/importer";
import { promises as fs } from "node:fs";
import path from "node:path";
import * as cheerio from "cheerio";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, type Library } from "../../testkit/library";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";
import { articleHtml, imagePdf, launchBrowser, makeDocx, makeWord97, officialFixtures, officialHtml, printPdf, renderScan, SIMPLIFIED, TRADITIONAL } from "../../testkit/documents";
import { createHash } from "node:crypto";
import { articleViewSchema, searchResponseSchema } from "../helpers/api-shapes";

let lib: Library;
let server: RunningServer;
let site: Server;
let siteBase: string;
let browser: Browser;
const official = officialFixtures(1, 31)[0];
const LONG = {
  title: "党员教育培训工作规程",
  paragraphs: Array.from({ length: 22 }, (_, i) => `第${i + 1}项　党员教育培训要坚持理论联系实际，${i === 17 ? "组织党员到红色教育基地开展现场教学，" : ""}注重培训实效，每年集中培训时间一般不少于三十二学时，并建立培训档案。`),
};

beforeAll(async () => {
  lib = await makeLibrary("documents");
  browser = await launchBrowser();
  const dir = path.join(lib.content, "documents");
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "minutes.docx"), await makeDocx({ title: "第二党支部委员会会议纪要", paragraphs: ["会议研究了发展对象政治审查工作，同意将三名同志列为发展对象。", "会议要求各党小组认真落实谈心谈话制度。"] }));
  await fs.writeFile(path.join(dir, "rules.pdf"), await printPdf(browser, articleHtml(LONG), { pageNumbers: true }));
  await fs.writeFile(path.join(dir, "notice.pdf"), await printPdf(browser, officialHtml(official)));
  await fs.writeFile(path.join(dir, "speech-scan.pdf"), await imagePdf(browser, [await renderScan(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" }))]));
  await fs.writeFile(path.join(dir, "report.doc"), makeWord97({ title: "第三党支部情况报告", paragraphs: [SIMPLIFIED.paragraphs[2]] }));
  await fs.writeFile(path.join(dir, "opinion.wps"), makeWord97({ title: "黨員學習教育的意見", paragraphs: [TRADITIONAL.paragraphs[3]] }));
  // A site with a GBK page, imported as a user would (npm run import), then indexed with the rest.
  site = createServer((req, res) => {
    if (req.url === "/news/2024/branch.html") {
      res.writeHead(200, { "Content-Type": "text/html; charset=gbk" });
      res.end(iconv.encode("<html><head><title>支部书记上专题党课</title></head><body><h1>支部书记上专题党课</h1><p>支部书记以“踔厉奋发勇毅前行”为题，为全体党员讲授专题党课。</p></body></html>", "gbk"));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  siteBase = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const imported = await runImport([`${siteBase}/news/2024/branch.html`], { contentDir: lib.content, limits: { delayMs: 10 } });
  expect(imported.fetched).toEqual([`${siteBase}/news/2024/branch.html`]);
  const run = await lib.reindex();
  expect(run.ingest.errors).toEqual([]);
  server = await startProductionServer(lib.index);
}, 600_000);

afterAll(async () => {
  server?.stop();
  site?.close();
  await browser?.close();
  await lib?.cleanup();
});

async function search(q: string) {
  const r = await fetch(`${server.base}/api/search?q=${encodeURIComponent(q)}`);
  expect(r.status).toBe(200);
  return searchResponseSchema.parse(await r.json());
}

describe("documents in the library", () => {
  it("keeps each document's original, served only as a download with its own name and type", async () => {
    const res = await search("谈心谈话制度");
    const id = res.hits[0].id;
    const r = await fetch(`${server.base}/articles/${encodeURIComponent(id)}/original`);
    expect(r.status).toBe(200);
    const bytes = Buffer.from(await r.arrayBuffer());
    const source = await fs.readFile(path.join(lib.content, "documents", "minutes.docx"));
    expect(bytes.equals(source)).toBe(true);
    expect(r.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="minutes.docx"; filename*=UTF-8''minutes.docx`);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-security-policy")).toContain("sandbox");
    const etag = r.headers.get("etag");
    expect(etag).toBe(`"${createHash("sha256").update(source).digest("hex")}"`);
    expect((await fetch(`${server.base}/articles/${encodeURIComponent(id)}/original`, { headers: { "If-None-Match": etag! } })).status).toBe(304);
    const view = articleViewSchema.parse(await (await fetch(`${server.base}/api/articles/${encodeURIComponent(id)}`)).json());
    expect(view.original).toEqual({ name: "minutes.docx", type: r.headers.get("content-type"), bytes: source.length });
  });

  it("keeps a text file's original too, and says 404 for a JSONL record (no file of its own) and for an unknown article", async () => {
    const md = (await search("三会一课")).hits.find((h) => h.format === "markdown")!;
    const r = await fetch(`${server.base}/articles/${encodeURIComponent(md.id)}/original`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/markdown");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="[^"]+\.md"; filename\*=UTF-8''/u);
    expect(await r.text()).toMatch(/^---\n/u);
    const all = searchResponseSchema.parse(await (await fetch(`${server.base}/api/search?size=100`)).json());
    const record = all.hits.find((h) => h.format === "jsonl");
    expect(record, "a JSONL record in the sample library").toBeDefined();
    const none = await fetch(`${server.base}/articles/${encodeURIComponent(record!.id)}/original`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: string }).error).toMatch(/has no original file \(a record of a JSONL file keeps none\)/u);
    expect((await fetch(`${server.base}/articles/no-such-article/original`)).status).toBe(404);
  });

  it("finds Word files' text (.docx, .doc, .wps, either script) and marks it on the reading page", async () => {
    for (const [q, title, format, mark] of [
      ["谈心谈话制度", "第二党支部委员会会议纪要", "docx", "谈心谈话制度"],
      ["家电维修", "第三党支部情况报告", "doc", "家电维修"],
      ["民主评议党员", "黨員學習教育的意見", "wps", "民主評議黨員"],
    ] as const) {
      const hit = (await search(q)).hits.find((h) => h.format === format);
      expect(hit?.title, q).toBe(title);
      const page = cheerio.load(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit!.id)}?q=${encodeURIComponent(q)}`)).text());
      expect(page("mark").first().text(), q).toBe(mark);
    }
  });

  it("finds a page the importer brought in (GBK on the wire), with its address, marked on the reading page", async () => {
    const hit = (await search("踔厉奋发")).hits[0];
    expect({ title: hit.title, format: hit.format, url: hit.url }).toEqual({ title: "支部书记上专题党课", format: "html", url: `${siteBase}/news/2024/branch.html` });
    const page = cheerio.load(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit.id)}?q=${encodeURIComponent("踔厉奋发")}`)).text());
    expect(page("mark").first().text()).toBe("踔厉奋发");
    // Its original is the page as fetched: the GBK bytes.
    const original = Buffer.from(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit.id)}/original`)).arrayBuffer());
    expect(iconv.decode(original, "gbk")).toContain("踔厉奋发勇毅前行");
  });

  it("finds a PDF's text with the page of each snippet, and the reading page marks the match with its page", async () => {
    const res = await search("红色教育基地");
    const hit = res.hits.find((h) => h.title === LONG.title)!;
    expect(hit.format).toBe("pdf");
    expect(hit.snippetPages).toHaveLength(hit.snippets.length);
    const view = articleViewSchema.parse(await (await fetch(`${server.base}/api/articles/${encodeURIComponent(hit.id)}?q=红色教育基地`)).json());
    const pages = view.pages!;
    const at = view.paragraphs!.findIndex((p) => p.some((part) => part.match));
    expect(at).toBe(17);
    expect(pages).toHaveLength(LONG.paragraphs.length);
    expect(hit.snippetPages![0]).toBe(pages[at]);
    expect(pages[at]).toBeGreaterThan(1);
    const html = cheerio.load(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit.id)}?q=红色教育基地`)).text());
    expect(html("mark").first().text()).toBe("红色教育基地");
    const link = html(`#p${at + 1} a[data-page]`);
    expect(link.text()).toBe(`（第 ${pages[at]} 页）`);
    expect(link.attr("href")).toBe(`/articles/${encodeURIComponent(hit.id)}/pdf?page=${pages[at]}`);
    // The link opens that page of the original, drawn by pdf.js in Chromium.
    const tab = await browser.newPage();
    try {
      await tab.goto(server.base + link.attr("href")!);
      await tab.locator('canvas[data-state="shown"]').waitFor({ timeout: 20_000 });
      await expect(tab.getByTestId("pdf-page-number").textContent()).resolves.toMatch(new RegExp(`^第 ${pages[at]} 页 / 共 \\d+ 页$`, "u"));
      await tab.screenshot({ path: path.join(lib.root, "pdf-page.png") });
    } finally {
      await tab.close();
    }
  });

  it("finds a 公文 by its document number in any brackets, with its fields", async () => {
    const typed = official.expected.docNumber.replace("〔", "[").replace("〕", "]");
    const res = await search(typed);
    const hit = res.hits.find((h) => h.docNumber === official.expected.docNumber);
    expect(hit, typed).toBeDefined();
    expect({ docType: hit!.docType, issuer: hit!.issuer, source: hit!.source, date: hit!.date }).toEqual({
      docType: official.expected.docType,
      issuer: official.expected.issuer,
      source: official.expected.issuer,
      date: official.expected.date,
    });
    const page = cheerio.load(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit!.id)}`)).text());
    expect(page("article").text()).toContain(`文号：${official.expected.docNumber}`);
  });

  it("offers 文种 and 发文机关 as facets and filters, on the API and the search page", async () => {
    const all = await search("");
    expect(all.facets.docTypes).toEqual([{ value: official.expected.docType, count: 1 }]);
    expect(all.facets.issuers).toEqual([{ value: official.expected.issuer, count: 1 }]);
    const byType = searchResponseSchema.parse(await (await fetch(`${server.base}/api/search?docType=${encodeURIComponent(official.expected.docType)}`)).json());
    expect(byType.hits.map((h) => h.docNumber)).toEqual([official.expected.docNumber]);
    const byIssuer = searchResponseSchema.parse(await (await fetch(`${server.base}/api/search?q=${encodeURIComponent("工作")}&issuer=${encodeURIComponent(official.expected.issuer)}`)).json());
    expect(byIssuer.hits.every((h) => h.issuer === official.expected.issuer)).toBe(true);
    const page = cheerio.load(await (await fetch(`${server.base}/?q=${encodeURIComponent("工作")}`)).text());
    const facet = page("section").filter((_i, el) => page(el).find("h3").first().text().trim() === "文种");
    expect(facet.find("a").first().attr("href")).toBe(`/?q=${encodeURIComponent("工作")}&docType=${encodeURIComponent(official.expected.docType)}`);
  });

  it("finds a scan's recognised text in either script, marked as recognised on the reading page", async () => {
    const res = await search("联系群众制度");
    const hit = res.hits.find((h) => h.ocr);
    expect(hit).toBeDefined();
    expect(hit!.format).toBe("pdf");
    const page = cheerio.load(await (await fetch(`${server.base}/articles/${encodeURIComponent(hit!.id)}?q=联系群众制度`)).text());
    expect(page('[role="note"]').text()).toContain("由扫描件识别（OCR）得到");
    expect(page("mark").first().text()).toBe("聯繫群眾制度");
  });
});
