// The document fuzzer: over a thousand generated hostile Word files, PDFs,
// OLE files and images (cut short, bytes flipped, zip bombs, parts missing,
// garbage behind the right magic numbers, names that lie, a 1,000-page PDF,
// PDFs over the page and recognition limits) in one folder with good ones,
// through a real index run. Nothing crashes or hangs, each bad file gets one
// error naming it, and every good article is found.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIndex, type IndexRunResult } from "@/lib/search/build/indexer";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { openIndex } from "@/lib/search/storage/disk-store";
import { makeDocx, simplePdf, zipOf } from "@/testkit/documents";

type Expect = "good" | "bad" | "either";
interface Made {
  name: string;
  bytes: Uint8Array;
  expect: Expect;
  /** A token the article must be findable by (good files). */
  token?: string;
}

let dir: string;
let result: IndexRunResult;
let index: SearchIndex;
const files: Made[] = [];
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function flip(bytes: Buffer, positions: number[], values: number[]): Buffer {
  const copy = Buffer.from(bytes);
  positions.forEach((p, i) => (copy[p % copy.length] = values[i % values.length]));
  return copy;
}

function kinds(docx: Buffer, pdf: Buffer): fc.Arbitrary<Omit<Made, "name"> & { ext: string }> {
  const bad = (ext: string) => (bytes: Uint8Array) => ({ ext, bytes, expect: "bad" as const });
  const either = (ext: string) => (bytes: Uint8Array) => ({ ext, bytes, expect: "either" as const });
  return fc.oneof(
    // Cut short anywhere.
    fc.nat({ max: docx.length - 2 }).map((cut) => bad(".docx")(docx.subarray(0, cut + 1))),
    fc.nat({ max: pdf.length - 2 }).map((cut) => either(".pdf")(pdf.subarray(0, cut + 1))),
    // Bytes flipped (the archive's checks or the PDF parser's must catch what matters).
    fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 20 })).map(([p, v]) => either(".docx")(flip(docx, p, v))),
    fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 20 })).map(([p, v]) => either(".pdf")(flip(pdf, p, v))),
    // Zip bombs and zips that are not Word files.
    fc.integer({ min: 1, max: 5000 }).map((declared) => bad(".docx")(zipOf("word/document.xml", Buffer.alloc(30 * 1024 * 1024, 0x3c), declared))),
    fc.string({ maxLength: 200 }).map((s) => bad(".docx")(zipOf("word/document.xml", Buffer.from(`<w:document>${s}`)))),
    fc.string({ maxLength: 200 }).map((s) => bad(".docx")(zipOf("content.xml", Buffer.from(s)))),
    // The right magic number, then garbage.
    fc.uint8Array({ minLength: 0, maxLength: 4000 }).map((b) => bad(".doc")(Buffer.concat([OLE, b]))),
    fc.uint8Array({ minLength: 0, maxLength: 4000 }).map((b) => bad(".wps")(Buffer.concat([OLE, b]))),
    fc.uint8Array({ minLength: 0, maxLength: 4000 }).map((b) => bad(".pdf")(Buffer.concat([Buffer.from("%PDF-1.7\n"), b]))),
    fc.uint8Array({ minLength: 0, maxLength: 400 }).map((b) => bad(".png")(Buffer.concat([PNG, b]))),
    // Plain garbage under a document's name (no magic number): not a document.
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => bad(".docx")(Buffer.concat([Buffer.from([0]), b]))),
  );
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "document-fuzz-"));
  const docx = await makeDocx({ title: "模糊测试用的Word文件", paragraphs: ["这是一份用来制造损坏文件的正常文档。", "支部书记讲党课，党员认真学习。"] });
  const pdf = simplePdf(["Fuzzing base document", "Second page of the base document with more text"]);
  const hostile = fc.sample(kinds(docx, pdf), { numRuns: 1100, seed: 9704 });
  hostile.forEach((m, k) => files.push({ name: `hostile-${k}${m.ext}`, bytes: m.bytes, expect: m.expect }));
  // Good documents beside them, and files whose names lie about a good content.
  for (let k = 0; k < 20; k++) {
    const token = `良文${k}号`;
    files.push({ name: `good-${k}.docx`, bytes: await makeDocx({ title: `好的Word文件${k}`, paragraphs: [`${token}，党员志愿服务。`] }), expect: "good", token });
    const ascii = `GoodPdf${k}x`;
    files.push({ name: `good-${k}.pdf`, bytes: simplePdf([`Title of good PDF ${k}`, `Body ${ascii} of the good PDF`]), expect: "good", token: ascii.toLowerCase() });
  }
  files.push({ name: "lying-pdf.docx", bytes: simplePdf(["A PDF named docx", "Body LyingName1 here"]), expect: "good", token: "lyingname1" });
  files.push({ name: "lying-docx.pdf", bytes: await makeDocx({ title: "名为PDF的Word", paragraphs: ["谎称格式良文号。"] }), expect: "good", token: "谎称格式良文号" });
  // Page counts: 1,000 pages read; over 2,000 refused; 100 pages without text refused before any recognition.
  files.push({ name: "thousand-pages.pdf", bytes: simplePdf(Array.from({ length: 1000 }, (_, i) => (i === 999 ? "The last page says ThousandEnd" : `Page ${i + 1} of a long report`))), expect: "good", token: "thousandend" });
  files.push({ name: "too-many-pages.pdf", bytes: simplePdf(Array.from({ length: 2001 }, (_, i) => `Page ${i + 1}`)), expect: "bad" });
  files.push({ name: "long-scan.pdf", bytes: simplePdf(Array.from({ length: 100 }, () => "")), expect: "bad" });
  for (const f of files) await fs.writeFile(path.join(dir, f.name), f.bytes);
  result = await runIndex({ targets: [dir], dir: path.join(dir, ".index"), full: true, segmenter: segmentInProcess });
  index = await openIndex(path.join(dir, ".index"));
}, 600_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("an index run over a folder of hostile documents", () => {
  it("never crashes, reports every bad document by name with a reason, and finds every good one", () => {
    const reported = new Map(result.ingest.errors.map((e) => [e.file, e.message]));
    const bad = files.filter((f) => f.expect === "bad");
    const unreported = bad.filter((f) => !reported.has(f.name)).map((f) => f.name);
    const lost = files.filter((f) => f.token && index.search({ q: `"${f.token}"`, authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }).total !== 1).map((f) => f.name);
    const reasons = new Map<string, number>();
    for (const message of reported.values()) {
      const kind = message.replace(/\(.*$/u, "").replace(/\d+/gu, "N").slice(0, 70);
      reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    }
    console.log(
      `document fuzzer: ${files.length} files (${files.filter((f) => f.name.startsWith("hostile-")).length} generated hostile, ${bad.length} certainly bad), ` +
        `${reported.size} reported, ${index.size} articles indexed, ${files.filter((f) => f.token).length} good documents all found; reasons:\n  ` +
        [...reasons].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} × ${k}`).join("\n  "),
    );
    expect(files.filter((f) => f.name.startsWith("hostile-")).length).toBeGreaterThanOrEqual(1000);
    expect(unreported).toEqual([]);
    expect(lost).toEqual([]);
    // One error per file, each naming it.
    expect(result.ingest.errors.length).toBe(reported.size);
  });

  it("says what was wrong with each kind", () => {
    const message = (name: string) => result.ingest.errors.find((e) => e.file === name)?.message;
    expect(message("too-many-pages.pdf")).toBe("PDF has 2001 pages, over the 2000-page limit; split it");
    expect(message("long-scan.pdf")).toBe("PDF has 100 pages without a text layer (scans), over the 60-page recognition limit; split it");
    const bomb = files.find((f) => f.name.endsWith(".docx") && f.bytes.length < 200_000 && f.bytes.length > 10_000);
    if (bomb) expect(message(bomb.name)).toMatch(/zip bomb/u);
    const ole = files.find((f) => f.name.endsWith(".wps") && f.expect === "bad")!;
    expect(message(ole.name)).toMatch(/^unsupported WPS variant: /u);
    const png = files.find((f) => f.name.endsWith(".png"))!;
    expect(message(png.name)).toMatch(/^not a readable PNG image \(text recognition failed|^no text was recognised/u);
    expect(result.ingest.articles.find((a) => a.origin === "lying-pdf.docx")?.warnings).toContain("named .docx but is a PDF; read as that");
  });
});
