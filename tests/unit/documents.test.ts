// Word files, PDFs and scans, end to end through ingest, on fixtures made
// here: .docx written with the docx library, PDFs printed by Chromium, scans
// rendered to images and printed into image-only PDFs. Accuracy is character
// F1 against the text the fixture was made from.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "@/lib/content/article";
import { recogniseImage } from "@/lib/content/documents/ocr";
import { sniff } from "@/lib/content/documents/sniff";
import { formatProblem } from "@/lib/content/errors";
import { ingest } from "@/lib/content/ingest";
import { normalize } from "@/lib/text/normalize";
import { zipProblem } from "@/lib/content/documents/zip";
import { articleHtml, characterF1, imagePdf, launchBrowser, makeDocx, makeWord97, otherCompoundFile, officialFixtures, scanTiff, simplePdf, zipOf, officialHtml, printPdf, renderScan, SIMPLIFIED, TRADITIONAL, type FixtureText } from "@/testkit/documents";

let dir: string;
let browser: Browser;
const files: Record<string, Buffer> = {};
const previousCache = process.env.OCR_CACHE_DIR;

const sourceOf = (t: FixtureText) => [t.title, ...t.paragraphs].join("\n");
const textOf = (a: Article) => [a.title, ...a.paragraphs].join("\n");

/** A long article: enough paragraphs to run over three A4 pages. */
const LONG: FixtureText = {
  title: "基层党组织标准化建设工作手册",
  paragraphs: Array.from({ length: 24 }, (_, i) =>
    `第${i + 1}条　支部委员会每月召开一次会议，研究部署党建工作任务，听取党小组工作汇报，分析党员思想状况，及时解决存在的问题，并做好会议记录和资料归档工作。`,
  ),
};

/** Paragraphs enough to fill two columns over more than a page, both scripts. */
const TWO_COLUMNS: FixtureText = {
  title: "两栏排版的支部工作简报",
  paragraphs: [...SIMPLIFIED.paragraphs, ...TRADITIONAL.paragraphs, ...SIMPLIFIED.paragraphs.map((p) => p.replace("本季度", "下季度"))],
};

let articles: Map<string, Article>;
const officials: ReturnType<typeof officialFixtures> = [];
let problems: string[];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "documents-test-"));
  process.env.OCR_CACHE_DIR = path.join(dir, "ocr-cache");
  browser = await launchBrowser();
  const simplifiedScan = await renderScan(browser, articleHtml(SIMPLIFIED));
  const traditionalScan = await renderScan(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" }));
  Object.assign(files, {
    "simplified.docx": await makeDocx(SIMPLIFIED, { creator: "王晓明", table: [["姓名", "职务", "联系电话"], ["李红", "组织委员", "12345"]] }),
    "traditional.docx": await makeDocx(TRADITIONAL),
    "untitled.docx": await makeDocx(SIMPLIFIED, { heading: false, coreTitle: "支部活动情况", creator: "赵敏" }),
    "simplified.doc": makeWord97(SIMPLIFIED, [["姓名", "职务"], ["王芳", "宣传委员"]]),
    "traditional.wps": makeWord97(TRADITIONAL),
    "simplified.pdf": await printPdf(browser, articleHtml(SIMPLIFIED)),
    "traditional.pdf": await printPdf(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" })),
    "long.pdf": await printPdf(browser, articleHtml(LONG), { header: "某某县委组织部　内部资料", pageNumbers: true }),
    // A newsletter page set in two columns under a title across both, running over two pages.
    "two-columns.pdf": await printPdf(
      browser,
      articleHtml(TWO_COLUMNS).replace("</h1>", '</h1><div style="column-count:2;column-gap:2em">').replace("</body>", "</div></body>"),
      { pageNumbers: true },
    ),
    "simplified-scan.png": simplifiedScan,
    "traditional-scan.png": traditionalScan,
    "scanned.pdf": await imagePdf(browser, [simplifiedScan]),
    "phone-photo.jpg": await renderScan(browser, articleHtml(SIMPLIFIED), 900, "jpeg"),
    "scanner.tif": await scanTiff(await printPdf(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" }))),
  });
  // 公文 laid out per GB/T 9704: two printed with a text layer, one scanned.
  const official = officialFixtures(3, 20240305);
  officials.push(...official);
  files["official-1.pdf"] = await printPdf(browser, officialHtml(official[0]), { pageNumbers: true });
  files["official-2.pdf"] = await printPdf(browser, officialHtml(official[1]));
  files["official-3-scan.pdf"] = await imagePdf(browser, [await renderScan(browser, officialHtml(official[2]))]);
  // Files whose names lie, and broken ones beside the good.
  files["really-a-pdf.docx"] = files["simplified.pdf"];
  files["really-html.docx"] = Buffer.from("<!doctype html><html><head><title>网页另存</title></head><body><h1>网页另存的通知</h1><p>这是一个以网页格式保存却命名为Word文件的通知正文。</p></body></html>");
  files["truncated.docx"] = files["simplified.docx"].subarray(0, Math.floor(files["simplified.docx"].length / 2));
  files["truncated.pdf"] = files["simplified.pdf"].subarray(0, 400);
  files["old-format.wps"] = otherCompoundFile();
  files["encrypted.pdf"] = simplePdf(["A protected report", "Its body needs a password"], { encrypted: true });
  for (const [name, bytes] of Object.entries(files)) await fs.writeFile(path.join(dir, name), bytes);
  const result = await ingest([dir]);
  articles = new Map(result.articles.map((a) => [a.origin, a]));
  problems = result.errors.map(formatProblem);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (previousCache === undefined) delete process.env.OCR_CACHE_DIR;
  else process.env.OCR_CACHE_DIR = previousCache;
  await fs.rm(dir, { recursive: true, force: true });
});

describe("Word (.docx)", () => {
  it("keeps the title, paragraphs and core properties, with character F1 ≥ 0.99 in both scripts", () => {
    const s = articles.get("simplified.docx")!;
    expect(s.format).toBe("docx");
    expect(s.title).toBe(SIMPLIFIED.title);
    expect(s.authors).toEqual(["王晓明"]);
    const f1s = characterF1(sourceOf(SIMPLIFIED), textOf(s).replace(/\n姓名.*$/su, ""));
    const t = articles.get("traditional.docx")!;
    expect(t.title).toBe(TRADITIONAL.title);
    expect(t.script).toBe("Traditional");
    const f1t = characterF1(sourceOf(TRADITIONAL), textOf(t));
    console.log(`Word .docx: character F1 ${f1s.toFixed(4)} (Simplified), ${f1t.toFixed(4)} (Traditional)`);
    expect(f1s).toBeGreaterThanOrEqual(0.99);
    expect(f1t).toBeGreaterThanOrEqual(0.99);
  });

  it("joins a table row's cells with a space, so words of neighbouring cells never run together", () => {
    const s = articles.get("simplified.docx")!;
    expect(s.paragraphs.slice(-2)).toEqual(["姓名 职务 联系电话", "李红 组织委员 12345"]);
  });

  it("takes the title and author from the core properties when the text has no heading", () => {
    const u = articles.get("untitled.docx")!;
    expect(u.title).toBe("支部活动情况");
    expect(u.authors).toEqual(["赵敏"]);
    expect(u.paragraphs).toEqual(SIMPLIFIED.paragraphs);
  });
});

describe("Word 97–2003 (.doc) and WPS (.wps)", () => {
  it("reads the binary format's text with character F1 ≥ 0.99, a table row's cells joined by a space", () => {
    const doc = articles.get("simplified.doc")!;
    expect(doc.format).toBe("doc");
    expect(doc.title).toBe(SIMPLIFIED.title);
    expect(doc.paragraphs).toEqual([...SIMPLIFIED.paragraphs, "姓名 职务", "王芳 宣传委员"]);
    const wps = articles.get("traditional.wps")!;
    expect(wps.format).toBe("wps");
    expect(wps.script).toBe("Traditional");
    const f1 = [characterF1(sourceOf(SIMPLIFIED), textOf(doc).replace(/\n姓名.*$/su, "")), characterF1(sourceOf(TRADITIONAL), textOf(wps))];
    console.log(`Word 97 .doc / .wps: character F1 ${f1.map((f) => f.toFixed(4)).join(", ")}`);
    for (const f of f1) expect(f).toBeGreaterThanOrEqual(0.99);
  });
});

describe("PDF with a text layer", () => {
  it("reads Chromium-printed Chinese with character F1 ≥ 0.99 in both scripts, paragraphs as written", () => {
    const s = articles.get("simplified.pdf")!;
    expect(s.format).toBe("pdf");
    expect(s.ocr).toBeUndefined();
    expect(s.title).toBe(SIMPLIFIED.title);
    expect(s.paragraphs).toEqual(SIMPLIFIED.paragraphs);
    const t = articles.get("traditional.pdf")!;
    expect(t.paragraphs).toEqual(TRADITIONAL.paragraphs);
    const long = articles.get("long.pdf")!;
    const f1 = [characterF1(sourceOf(SIMPLIFIED), textOf(s)), characterF1(sourceOf(TRADITIONAL), textOf(t)), characterF1(sourceOf(LONG), textOf(long))];
    console.log(`PDF text layer: character F1 ${f1.map((f) => f.toFixed(4)).join(", ")} (Simplified, Traditional, 3 pages with a header and page numbers)`);
    for (const f of f1) expect(f).toBeGreaterThanOrEqual(0.99);
  });

  it("reads a page of two columns column by column, paragraphs going on from one column and page to the next", () => {
    const a = articles.get("two-columns.pdf")!;
    expect(a.title).toBe(TWO_COLUMNS.title);
    expect(a.paragraphs).toEqual(TWO_COLUMNS.paragraphs);
    expect(new Set(a.pages)).toEqual(new Set([1, 2]));
    const f1 = characterF1(sourceOf(TWO_COLUMNS), textOf(a));
    console.log(`PDF in two columns: character F1 ${f1.toFixed(4)}`);
    expect(f1).toBeGreaterThanOrEqual(0.99);
  });

  it("drops the running header and page numbers, joins paragraphs across pages and gives each its page", () => {
    const a = articles.get("long.pdf")!;
    // The ideographic space after 第N条 is printed as a gap, not a character: compared without spaces.
    const bare = (ps: string[]) => ps.map((p) => p.replace(/\s/gu, ""));
    expect(bare(a.paragraphs)).toEqual(bare(LONG.paragraphs));
    expect(textOf(a)).not.toMatch(/内部资料|—\s*\d+\s*—/u);
    expect(a.pages).toHaveLength(LONG.paragraphs.length);
    expect(a.pages![0]).toBe(1);
    expect(new Set(a.pages).size).toBeGreaterThanOrEqual(2);
    // Pages only grow, one step at a time.
    a.pages!.forEach((p, i) => i > 0 && expect(p - a.pages![i - 1]).toBeGreaterThanOrEqual(0));
  });
});

/** An image read by recognition, marked so, with character F1 ≥ 0.95 against the text it shows. */
function expectRecognised(name: string, text: FixtureText): void {
  const a = articles.get(name)!;
  expect(a, name).toBeDefined();
  expect(a.format).toBe("image");
  expect(a.ocr).toBe(true);
  const f1 = characterF1(sourceOf(text), textOf(a));
  console.log(`OCR ${name}: character F1 ${f1.toFixed(4)}`);
  expect(f1).toBeGreaterThanOrEqual(0.95);
}

describe("scans (OCR)", () => {
  it("recognises clean scans with character F1 ≥ 0.95 in Simplified and Traditional, marked ocr", () => {
    expectRecognised("simplified-scan.png", SIMPLIFIED);
    expectRecognised("traditional-scan.png", TRADITIONAL);
  });

  it("reads a JPEG (a phone's photo) and a scanner's TIFF the same way", () => {
    expectRecognised("phone-photo.jpg", SIMPLIFIED);
    expectRecognised("scanner.tif", TRADITIONAL);
  });

  it("recognises an image-only PDF's pages, with pages, marked ocr", () => {
    const a = articles.get("scanned.pdf")!;
    expect(a.format).toBe("pdf");
    expect(a.ocr).toBe(true);
    expect(a.pages?.every((p) => p === 1)).toBe(true);
    const f1 = characterF1(sourceOf(SIMPLIFIED), textOf(a));
    console.log(`OCR scanned.pdf: character F1 ${f1.toFixed(4)}`);
    expect(f1).toBeGreaterThanOrEqual(0.95);
  });

  it("never reads an unchanged scan twice: the second reading comes from the cache, the same", async () => {
    const again = await recogniseImage(files["simplified-scan.png"], "png");
    expect(again.cached).toBe(true);
    expect(again.lines.map((l) => l.text).join("")).toContain("主题党日");
  });

  it("says so when an image has no text", async () => {
    const blank = await launchBrowser().then(async (b) => {
      const page = await b.newPage({ viewport: { width: 400, height: 300 } });
      await page.setContent("<body style='background:#fff'></body>");
      const png = await page.screenshot();
      await b.close();
      return png;
    });
    await fs.writeFile(path.join(dir, "blank.png"), blank);
    const r = await ingest([path.join(dir, "blank.png")]);
    expect(r.articles).toHaveLength(0);
    expect(r.errors.map(formatProblem)).toEqual([expect.stringMatching(/blank\.png: no text was recognised in this image/u)]);
  });
});

describe("official documents (公文) in PDFs and scans", () => {
  it("become metadata: issuer (also the source), document number, type, and the 成文日期 as the date", () => {
    ["official-1.pdf", "official-2.pdf"].forEach((name, i) => {
      const a = articles.get(name)!;
      const want = officials[i].expected;
      expect({ title: a.title, issuer: a.issuer, docNumber: a.docNumber, docType: a.docType, date: a.date, source: a.source }, name).toEqual({ ...want, source: want.issuer });
    });
  });

  it("are recognised from a scan too: number, type and date exactly, names as well as recognition reads them", () => {
    const a = articles.get("official-3-scan.pdf")!;
    const want = officials[2].expected;
    expect(a.ocr).toBe(true);
    expect({ docNumber: a.docNumber, docType: a.docType, date: a.date }).toEqual({ docNumber: want.docNumber, docType: want.docType, date: want.date });
    // The issuer's mark is large red type: recognition may misread a character of it.
    expect(characterF1(want.issuer, a.issuer ?? "")).toBeGreaterThanOrEqual(0.75);
    expect(characterF1(want.title, a.title)).toBeGreaterThanOrEqual(0.9);
  });
});

describe("zip bombs", () => {
  it("refuses a .docx whose entry inflates past what it declares, or whose sizes add up past the limit, before unpacking it", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const lying = zipOf("word/document.xml", big, 1000);
    expect(zipProblem(lying, { maxTotalBytes: 200 * 1024 * 1024, maxEntries: 10 })).toMatch(/inflates to more than the 1000 bytes it declares \(a zip bomb\?\)/u);
    const honest = zipOf("word/document.xml", big);
    expect(zipProblem(honest, { maxTotalBytes: 10 * 1024 * 1024, maxEntries: 10 })).toMatch(/unpacks to 50\.0 MB, over the 10\.0 MB limit/u);
    await fs.writeFile(path.join(dir, "bomb.docx"), lying);
    const r = await ingest([path.join(dir, "bomb.docx")]);
    expect(r.errors.map(formatProblem)).toEqual([expect.stringMatching(/bomb\.docx: not a readable Word file: entry word\/document\.xml inflates to more than/u)]);
  });
});

describe("files whose names lie, and broken files", () => {
  it("reads a file by what it is, warning that the name says otherwise", () => {
    const pdf = articles.get("really-a-pdf.docx")!;
    expect(pdf.format).toBe("pdf");
    expect(pdf.warnings).toContain("named .docx but is a PDF; read as that");
    const html = articles.get("really-html.docx")!;
    expect(html.format).toBe("html");
    expect(html.title).toBe("网页另存的通知");
  });

  it("gives each broken file one clear error naming it, and still indexes every good file", () => {
    expect(problems.sort()).toEqual([
      "encrypted.pdf: encrypted PDF: it needs a password to open; save an unprotected copy",
      expect.stringMatching(/^old-format\.wps: unsupported WPS variant: not in Word's binary format \(.+\); save it from WPS as \.docx or \.doc$/u),
      "truncated.docx: not a readable Word file: not a complete zip archive (truncated or damaged)",
      expect.stringMatching(/^truncated\.pdf: not a readable PDF \(/u),
    ]);
    expect(articles.size).toBe(Object.keys(files).length - 4);
  });

  it("sniffs content before trusting the extension", () => {
    expect(sniff(files["simplified.pdf"], "x.txt")).toMatchObject({ format: "pdf", mismatch: expect.stringContaining("a PDF") });
    expect(sniff(files["simplified-scan.png"], "x.jpg")).toMatchObject({ format: "image", image: "png" });
    expect(sniff(files["simplified.docx"], "x.doc")).toMatchObject({ format: "docx" });
    expect(sniff(Buffer.from("正文"), "x.md")).toEqual({ format: "markdown" });
  });
});

describe("normalisation for documents", () => {
  it("makes every bracket of a document number one, and fonts' radicals the characters", () => {
    const want = normalize("中组发〔2024〕3号");
    for (const variant of ["中组发[2024]3号", "中组发［2024］3号", "中组发(2024)3号", "中组发（2024）3号", "中组发【2024】3号"]) expect(normalize(variant)).toBe(want);
    expect(normalize("意⻅")).toBe(normalize("意见"));
    expect(normalize("⽀部")).toBe(normalize("支部"));
  });
});
