// PDFs. Pages with a text layer are read with pdf.js (CID fonts through the
// CMaps it ships): items grouped into lines by baseline, lines into paragraphs
// by indent, short last lines and gaps (never inserting a space between
// Chinese characters), running headers, footers and page numbers that repeat
// across pages dropped, and each paragraph knows its page. Pages without a
// text layer (scans) are rendered and recognised (ocr.ts).
import path from "node:path";
import type { ArticleDraft } from "@/lib/content/article";
import { draftFromBlocks, type Block } from "@/lib/content/documents/blocks";
import { recogniseImage, renderPdfPage } from "@/lib/content/documents/ocr";
import { ContentError } from "@/lib/content/errors";
import { furniture, HAN_OR_PUNCT, paragraphs, usualRight, type Line } from "@/lib/content/documents/layout";

/** Pages read from one PDF; a longer one is refused with its page count. */
export const MAX_PDF_PAGES = 2000;
/** Scanned pages recognised from one PDF (about 10 s each here): a longer scan is refused, not left running for hours. */
export const MAX_OCR_PAGES = 60;
/** A page with fewer characters of text than this is taken for a scan. */
const MIN_PAGE_CHARS = 8;

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | null = null;
const load = () => (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

function assetDir(sub: string): string {
  // The project's own copy (as spellings.ts finds opencc-js's dictionaries): bundlers rewrite module paths, not the working folder.
  const root = path.join(process.cwd(), "node_modules/pdfjs-dist");
  return path.join(root, sub) + path.sep;
}


/** Items on one baseline (sorted by x) as text: a space only where there is a gap between two non-Chinese characters. */
function lineText(items: Item[]): string {
  let text = "";
  let lastEnd = -Infinity;
  for (const it of items) {
    const gap = it.x - lastEnd;
    const prev = text.at(-1) ?? "";
    const next = it.str[0] ?? "";
    if (text && gap > it.size * 0.25 && prev !== " " && next !== " " && !HAN_OR_PUNCT.test(prev) && !HAN_OR_PUNCT.test(next)) text += " ";
    text += it.str;
    lastEnd = it.x + it.width;
  }
  return text.replace(/(?<=[\p{Script=Han}\u3000-\u303f\uff00-\uffef])[ \t]+(?=[\p{Script=Han}\u3000-\u303f\uff00-\uffef])/gu, "").trim();
}

function linesOf(rows: Item[][]): Line[] {
  return rows
    .map((group) => {
      group.sort((a, b) => a.x - b.x);
      const real = group.filter((i) => i.str.trim());
      return {
        text: lineText(group),
        x: real[0]?.x ?? group[0].x,
        end: Math.max(...real.map((i) => i.x + i.width), group[0].x),
        y: group[0].y,
        size: Math.max(...group.map((i) => i.size)),
      };
    })
    .filter((l) => l.text.length > 0);
}

/** Items on one baseline, as rows from the top of the page down. */
function rowsOf(items: Item[]): Item[][] {
  const sorted = items.filter((i) => i.str.length > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const it of sorted) {
    const last = rows.at(-1);
    if (last && Math.abs(last[0].y - it.y) <= Math.max(last[0].size, it.size) * 0.4) last.push(it);
    else rows.push([it]);
  }
  return rows;
}

/**
 * The gutter between two columns of text, or null: a band of the page's
 * middle (the middle three fifths of the text's width) at least a character
 * and a half wide that almost no row writes across (a title, a header, a page
 * number may), with a third of the rows or more writing on both sides of it.
 */
function gutterOf(rows: Item[][]): { from: number; to: number } | null {
  if (rows.length < 6) return null;
  const solid = rows.map((r) => r.filter((i) => i.str.trim() && i.width > 0));
  const all = solid.flat();
  if (all.length === 0) return null;
  const left = Math.min(...all.map((i) => i.x));
  const right = Math.max(...all.map((i) => i.x + i.width));
  const width = Math.ceil(right - left);
  if (width < 50) return null;
  const size = all.map((i) => i.size).sort((a, b) => a - b)[Math.floor(all.length / 2)];
  // How many rows write across each point (1 pt steps) of the width.
  const cover = new Int32Array(width + 2);
  for (const row of solid) {
    const spans = row.map((i) => [Math.floor(i.x - left), Math.ceil(i.x + i.width - left)] as const).sort((a, b) => a[0] - b[0]);
    let end = -1;
    for (const [a, b] of spans) {
      const from = Math.max(a, end);
      if (b > from) {
        cover[from]++;
        cover[b]--;
        end = b;
      }
    }
  }
  for (let x = 1; x < cover.length; x++) cover[x] += cover[x - 1];
  // A title, a running header and a centred page number may cross the gutter: a few rows, not most.
  const allowed = Math.max(3, Math.floor(rows.length * 0.08));
  let best: { from: number; to: number } | null = null;
  for (let x = Math.floor(width * 0.2); x <= Math.ceil(width * 0.8); x++) {
    if (cover[x] > allowed) continue;
    let end = x;
    while (end + 1 <= width * 0.8 && cover[end + 1] <= allowed) end++;
    if (end - x + 1 >= size * 1.5 && (!best || end - x > best.to - best.from)) best = { from: left + x, to: left + end + 1 };
    x = end;
  }
  if (!best) return null;
  const g = best;
  const both = solid.filter((r) => r.some((i) => i.x + i.width <= g.from + 0.5) && r.some((i) => i.x >= g.to - 0.5)).length;
  return both >= rows.length * 0.3 ? g : null;
}

/**
 * A page's rows in reading order, as runs to lay out one after the other:
 * on a page of two columns, each band of rows between full-width rows (a
 * title, a heading across both columns) is read left column first, then the
 * right; a full-width row is a run of its own. A column may hold two columns
 * again (three or four on a newspaper page).
 */
function readingRuns(rows: Item[][], depth = 0): Item[][][] {
  const gutter = depth < 2 ? gutterOf(rows) : null;
  if (!gutter) return [rows];
  const runs: Item[][][] = [];
  let leftRows: Item[][] = [];
  let rightRows: Item[][] = [];
  const flush = () => {
    if (leftRows.length) runs.push(...readingRuns(leftRows, depth + 1));
    if (rightRows.length) runs.push(...readingRuns(rightRows, depth + 1));
    leftRows = [];
    rightRows = [];
  };
  const middle = (gutter.from + gutter.to) / 2;
  for (const row of rows) {
    if (row.some((i) => i.str.trim() && i.x < gutter.to - 0.5 && i.x + i.width > gutter.from + 0.5)) {
      flush();
      runs.push([row]);
      continue;
    }
    const left = row.filter((i) => i.x + i.width / 2 < middle);
    const right = row.filter((i) => i.x + i.width / 2 >= middle);
    if (left.length) leftRows.push(left);
    if (right.length) rightRows.push(right);
  }
  flush();
  return runs;
}

export interface PdfOptions {
  /** Called before each page is recognised: lets a caller say what is slow. */
  onOcrPage?: (page: number, pages: number) => void;
}

export async function readPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<ArticleDraft> {
  const { getDocument } = await load();
  let doc: Awaited<ReturnType<typeof getDocument>["promise"]>;
  try {
    doc = await getDocument({
      data: new Uint8Array(bytes),
      cMapUrl: assetDir("cmaps"),
      cMapPacked: true,
      standardFontDataUrl: assetDir("standard_fonts"),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (e) {
    if ((e as Error).name === "PasswordException") throw new ContentError("encrypted PDF: it needs a password to open; save an unprotected copy");
    throw new ContentError(`not a readable PDF (${(e as Error).message.split("\n")[0]})`);
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES) throw new ContentError(`PDF has ${doc.numPages} pages, over the ${MAX_PDF_PAGES}-page limit; split it`);
    // Each page's lines in reading order, and where each run of them (a column of a band) starts.
    const pages: Line[][] = [];
    const runStarts: Array<Set<Line>> = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let page: Awaited<ReturnType<typeof doc.getPage>>;
      let content: Awaited<ReturnType<typeof page.getTextContent>>;
      try {
        page = await doc.getPage(n);
        content = await page.getTextContent();
      } catch (e) {
        throw new ContentError(`not a readable PDF: page ${n} is damaged (${(e as Error).message.split("\n")[0]})`);
      }
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!("str" in raw)) continue;
        const [a, b, c, d, x, y] = raw.transform as number[];
        // Upright text only: a rotated stamp or watermark is not prose.
        if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01) continue;
        items.push({ str: raw.str, x, y, width: raw.width, size: Math.abs(d) || Math.abs(a) || raw.height });
      }
      const lines: Line[] = [];
      const starts = new Set<Line>();
      for (const run of readingRuns(rowsOf(items))) {
        const runLines = linesOf(run);
        if (runLines.length) starts.add(runLines[0]);
        lines.push(...runLines);
      }
      pages.push(lines);
      runStarts.push(starts);
      page.cleanup();
    }
    const scanned = pages.map((lines, i) => (lines.reduce((n, l) => n + l.text.replace(/\s/gu, "").length, 0) < MIN_PAGE_CHARS ? i + 1 : 0)).filter(Boolean);
    if (scanned.length > MAX_OCR_PAGES) throw new ContentError(`PDF has ${scanned.length} pages without a text layer (scans), over the ${MAX_OCR_PAGES}-page recognition limit; split it`);
    // Scanned pages' lines come from recognition, then go through the same layout steps as text pages.
    for (const n of scanned) {
      options.onOcrPage?.(n, doc.numPages);
      pages[n - 1] = (await recogniseImage(await renderPdfPage(bytes, n), "png")).lines;
      runStarts[n - 1] = new Set(pages[n - 1].slice(0, 1));
    }
    const drop = furniture(pages);
    // Measured on the text layer's pages only: recognised pages are in pixels, not points.
    const textRight = usualRight(pages.filter((_, i) => !scanned.includes(i + 1)));
    const blocks: Block[] = [];
    let carry: Block | null = null;
    for (let i = 0; i < pages.length; i++) {
      // Each run (a column of a band, or the whole page) is laid out on its own margins; a paragraph may go on from one run to the next.
      const kept = pages[i].filter((l) => !drop[i].has(l));
      const runs: Line[][] = [];
      for (const l of pages[i]) {
        if (runStarts[i].has(l) || runs.length === 0) runs.push([]);
        if (!drop[i].has(l)) runs.at(-1)!.push(l);
      }
      for (const run of kept.length ? runs.filter((r) => r.length) : [[]]) {
        const { done, open } = paragraphs(run, i + 1, carry, scanned.includes(i + 1) ? undefined : textRight);
        blocks.push(...done);
        carry = open;
      }
    }
    if (carry) blocks.push(carry);
    const ocr = scanned.length > 0 && scanned.some((n) => pages[n - 1].length > 0);
    if (blocks.length === 0) throw new ContentError("PDF has no text: no text layer, and nothing was recognised on its pages");
    const draft = draftFromBlocks(blocks);
    return { ...draft, format: "pdf", ...(ocr ? { ocr: true } : {}) };
  } finally {
    await doc.destroy();
  }
}
