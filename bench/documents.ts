// npm run bench:documents — what documents cost: pages per second of
// text-layer PDFs and Word files read, seconds per recognised (OCR) page, and
// an index run that adds one scan to the ×1 library against one that finds
// nothing changed, with the OCR cache making a re-run as cheap as before.
// Fixtures are made here (docx library, Chromium printing); the library is
// the real corpus when ../shared/corpus is there, else the sample content.
// Options: --runs N (default 3), --json. Writes docs/bench/documents.json.
import { execFileSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readDocx } from "@/lib/content/formats/docx";
import { readPdf } from "@/lib/content/formats/pdf";
import { recogniseImage, renderPdfPage } from "@/lib/content/documents/ocr";
import { corpusFiles, HAVE_CORPUS } from "../testkit/corpus";
import { articleHtml, imagePdf, launchBrowser, makeDocx, printPdf, renderScan, SIMPLIFIED, TRADITIONAL, type FixtureText } from "../testkit/documents";
import { median } from "./parts/stats";

const argv = process.argv.slice(2);
const RUNS = argv.includes("--runs") ? Number(argv[argv.indexOf("--runs") + 1]) : 3;
const log = (s: string) => console.error(s);

/** A long text from the fixture paragraphs: `n` paragraphs, both scripts. */
function longText(n: number, seed: number): FixtureText {
  const pool = [...SIMPLIFIED.paragraphs, ...TRADITIONAL.paragraphs];
  return { title: `${SIMPLIFIED.title}（第${seed}号）`, paragraphs: Array.from({ length: n }, (_, i) => `${i + 1}．${pool[(i + seed) % pool.length]}`) };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - t) / 1000 };
}

function indexRun(env: Record<string, string>, args: string[] = []): number {
  const t = performance.now();
  execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", ...args], { env: { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "bench-documents-"));
  process.env.OCR_CACHE_DIR = path.join(work, "ocr-cold");
  const browser = await launchBrowser();
  try {
    // 1. Text extraction: Word files and text-layer PDFs.
    log("bench:documents: making fixtures (docx, printed PDFs, scans)…");
    const docxFiles = await Promise.all(Array.from({ length: 40 }, (_, i) => makeDocx(longText(20 + (i % 5) * 20, i))));
    const pdfFiles: Buffer[] = [];
    for (let i = 0; i < 12; i++) pdfFiles.push(await printPdf(browser, articleHtml(longText(30 + (i % 4) * 30, i)), { pageNumbers: true }));
    const pdfPages: number[] = [];
    for (const pdf of pdfFiles) pdfPages.push(Number(/\/Type\s*\/Pages[^>]*\/Count\s+(\d+)/u.exec(pdf.toString("latin1"))?.[1] ?? 1));
    const totalPdfPages = pdfPages.reduce((a, b) => a + b, 0);
    const docxChars = (await Promise.all(docxFiles.map((f) => readDocx(f)))).reduce((n, d) => n + d.paragraphs.join("").length, 0);
    const docxRuns: number[] = [];
    const pdfRuns: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      docxRuns.push((await timed(async () => { for (const f of docxFiles) await readDocx(f); })).seconds);
      pdfRuns.push((await timed(async () => { for (const f of pdfFiles) await readPdf(f); })).seconds);
    }
    // A Word file has no pages of its own: counted as A4 pages of 16-point type as Chromium prints the same text (≈ this many characters a page).
    const charsPerPage = (await Promise.all(pdfFiles.map((f) => readPdf(f)))).reduce((n, d) => n + d.paragraphs.join("").length, 0) / totalPdfPages;
    const docx = { files: docxFiles.length, chars: docxChars, pagesEquivalent: Math.round(docxChars / charsPerPage), seconds: median(docxRuns), filesPerSecond: docxFiles.length / median(docxRuns), pagesPerSecond: docxChars / charsPerPage / median(docxRuns) };
    const pdf = { files: pdfFiles.length, pages: totalPdfPages, seconds: median(pdfRuns), pagesPerSecond: totalPdfPages / median(pdfRuns) };
    log(`bench:documents: docx ${docx.filesPerSecond.toFixed(1)} files/s (${docx.pagesPerSecond.toFixed(0)} A4-page equivalents/s); PDF ${pdf.pagesPerSecond.toFixed(0)} pages/s (${totalPdfPages} pages, ${RUNS} runs)`);

    // 2. Recognition: seconds per page, cold cache (both models read each page; the more confident reading is kept).
    const scans = [
      await renderScan(browser, articleHtml(SIMPLIFIED)),
      await renderScan(browser, articleHtml(TRADITIONAL, { font: "Noto Serif CJK TC" })),
      await renderScan(browser, articleHtml(longText(6, 3))),
    ];
    const imageSeconds: number[] = [];
    for (const scan of scans) imageSeconds.push((await timed(() => recogniseImage(scan, "png"))).seconds);
    const scannedPdf = await imagePdf(browser, scans.slice(0, 2));
    const pdfPageSeconds: number[] = [];
    for (const page of [1, 2]) pdfPageSeconds.push((await timed(async () => recogniseImage(await renderPdfPage(scannedPdf, page), "png"))).seconds);
    const cachedSeconds = (await timed(() => recogniseImage(scans[0], "png"))).seconds;
    const ocr = { imagePageSeconds: median(imageSeconds), imageRuns: imageSeconds, pdfPageSeconds: median(pdfPageSeconds), pdfRuns: pdfPageSeconds, cachedSeconds };
    log(`bench:documents: OCR ${ocr.imagePageSeconds.toFixed(1)} s per image page, ${ocr.pdfPageSeconds.toFixed(1)} s per scanned PDF page (rendered at 300 dpi), ${(cachedSeconds * 1000).toFixed(1)} ms from the cache`);

    // 3. Index runs on the ×1 library: nothing changed; one scan added (cold OCR cache); nothing changed with the scan there.
    const content = path.join(work, "content");
    await fs.mkdir(content, { recursive: true });
    if (HAVE_CORPUS) for (const f of corpusFiles()) await fs.copyFile(f, path.join(content, path.basename(f)));
    else await fs.cp("content", content, { recursive: true });
    const past = new Date(Date.now() - 3600_000);
    for (const f of await fs.readdir(content, { recursive: true })) await fs.utimes(path.join(content, f), past, past);
    const env = { INDEX_DIR: path.join(work, "index"), CONTENT_DIR: content, OCR_CACHE_DIR: path.join(work, "ocr-index") };
    log(`bench:documents: full build of the ×1 library (${HAVE_CORPUS ? "the corpus" : "sample content: no corpus here"})…`);
    const full = indexRun(env, ["--full"]);
    const unchanged: number[] = [];
    const addScan: number[] = [];
    const unchangedWithScans: number[] = [];
    const extra = [await renderScan(browser, articleHtml(longText(5, 11))), await renderScan(browser, articleHtml(longText(5, 12), { font: "Noto Serif CJK TC" })), await renderScan(browser, articleHtml(longText(5, 13)))];
    for (let r = 0; r < RUNS; r++) {
      unchanged.push(indexRun(env));
      await fs.writeFile(path.join(content, `scan-${r}.png`), extra[r % extra.length]);
      addScan.push(indexRun(env));
      unchangedWithScans.push(indexRun(env));
    }
    // A full rebuild reads every scan again: from the OCR cache.
    const fullWithScans = indexRun(env, ["--full"]);
    const incremental = {
      library: HAVE_CORPUS ? "corpus ×1" : "sample content",
      fullSeconds: full,
      unchangedSeconds: median(unchanged),
      addOneScanSeconds: median(addScan),
      unchangedWithScansSeconds: median(unchangedWithScans),
      fullWithScansSeconds: fullWithScans,
      runs: { unchanged, addScan, unchangedWithScans },
    };
    log(
      `bench:documents: index runs (${incremental.library}): full ${full.toFixed(1)} s; nothing changed ${incremental.unchangedSeconds.toFixed(2)} s; one scan added ${incremental.addOneScanSeconds.toFixed(2)} s; ` +
        `nothing changed with the scans there ${incremental.unchangedWithScansSeconds.toFixed(2)} s (×${(incremental.unchangedWithScansSeconds / incremental.unchangedSeconds).toFixed(2)}); full rebuild with ${RUNS} scans (OCR cache warm) ${fullWithScans.toFixed(1)} s`,
    );
    const result = { machine: `${os.cpus().length} cores, node ${process.version}`, runs: RUNS, docx, pdf, ocr, incremental, at: new Date().toISOString() };
    await fs.mkdir("docs/bench", { recursive: true });
    await fs.writeFile("docs/bench/documents.json", `${JSON.stringify(result, null, 2)}\n`);
    if (argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    if (existsSync(work)) await fs.rm(work, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
