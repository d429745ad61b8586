// Text from scans: Tesseract (Debian's tesseract-ocr with chi_sim and
// chi_tra, installed by scripts/ensure-documents.sh) run as a child process
// with a time limit, its output joined the way Chinese is written (no spaces
// between characters, lines of a paragraph joined, ASCII punctuation between
// Chinese characters back to full width). Every result is cached by the
// image's content hash, so an unchanged scan is never read twice.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { config } from "@/lib/config/env.cjs";
import type { Line } from "@/lib/content/documents/layout";
import { ContentError } from "@/lib/content/errors";

const run = promisify(execFile);

/** A page of A4 at 300 dpi reads in ~5–15 s on two cores; one that takes longer than this is given up. */
const OCR_TIMEOUT_MS = 120_000;
/** Bump when the way output is post-processed changes: cached results of other versions are not used. */
const OCR_CACHE_VERSION = 4;

let version: Promise<string> | null = null;

/** Tesseract's version line, or a ContentError saying how to install it. */
export function tesseractVersion(): Promise<string> {
  version ??= run("tesseract", ["--version"], { timeout: 10_000 }).then(
    (r) => (r.stdout || r.stderr).split("\n")[0].trim(),
    () => {
      version = null;
      throw new ContentError("text recognition (OCR) needs Tesseract: run `bash scripts/ensure-documents.sh` (Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra)");
    },
  );
  return version;
}

const HAN = "\\p{Script=Han}";
const CJK_PUNCT = "，。、：；！？“”‘’（）《》〈〉【】〔〕—…·";
const WIDE = `[${HAN}${CJK_PUNCT}]`;
const ENDS_WIDE = new RegExp(`${WIDE}$`, "u");
const STARTS_WIDE = new RegExp(`^${WIDE}`, "u");
const SPACED = new RegExp(`(${WIDE})\\s+(?=${WIDE})`, "gu");
const ASCII_PUNCT_BY_WIDE = new RegExp(`(?<=${WIDE})\\s*([,:;!?()])\\s*|\\s*([,:;!?()])\\s*(?=${WIDE})`, "gu");
const FULL_STOP_AFTER_HAN = new RegExp(`(?<=${HAN})\\.(?=\\s|$)`, "gu");
const TO_FULL: Record<string, string> = { ",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）" };

/**
 * One recognised paragraph's lines as Chinese is written: no space between
 * Chinese characters and punctuation, lines joined without a space when either
 * side is Chinese, ASCII punctuation next to Chinese turned full width.
 */
export function joinRecognisedLines(lines: readonly string[]): string {
  let out = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out && !ENDS_WIDE.test(out) && !STARTS_WIDE.test(line)) out += " ";
    out += line;
  }
  out = out.replace(SPACED, "$1").replace(SPACED, "$1");
  out = out.replace(ASCII_PUNCT_BY_WIDE, (_m, a?: string, b?: string) => TO_FULL[(a ?? b)!]);
  out = out.replace(FULL_STOP_AFTER_HAN, "。");
  return out.replace(/\s{2,}/gu, " ").trim();
}

/** Tesseract's TSV (level 5 rows are words with their boxes) as lines, y flipped to grow up the page as in PDFs. */
export function linesOfTsv(tsv: string): Line[] {
  const lines = new Map<string, { words: string[]; left: number; right: number; top: number; bottom: number; heights: number[] }>();
  for (const row of tsv.split("\n").slice(1)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const text = f.slice(11).join("\t").trim();
    if (!text) continue;
    const [left, top, width, height] = f.slice(6, 10).map(Number);
    const key = `${f[1]}.${f[2]}.${f[3]}.${f[4]}`;
    const line = lines.get(key) ?? { words: [], left, right: left + width, top, bottom: top + height, heights: [] };
    line.words.push(text);
    line.left = Math.min(line.left, left);
    line.right = Math.max(line.right, left + width);
    line.top = Math.min(line.top, top);
    line.bottom = Math.max(line.bottom, top + height);
    line.heights.push(height);
    lines.set(key, line);
  }
  return [...lines.values()]
    .map((l) => {
      const heights = [...l.heights].sort((a, b) => a - b);
      const size = heights[Math.floor(heights.length / 2)];
      return { text: joinRecognisedLines([l.words.join(" ")]), x: l.left, end: l.right, y: -l.bottom, size };
    })
    .filter((l) => l.text.length > 0)
    .sort((a, b) => b.y - a.y || a.x - b.x)
    .reduce<Line[]>((out, l) => {
      // Pieces of one printed line that the engine read as separate blocks, side by side on one baseline.
      const same = out.find((o) => Math.abs(o.y - l.y) < Math.min(o.size, l.size) * 0.5 && (l.x >= o.end - o.size * 0.5 || l.end <= o.x + o.size * 0.5));
      if (!same) out.push(l);
      else {
        const [first, second] = l.x >= same.x ? [same, l] : [l, same];
        Object.assign(same, { text: joinRecognisedLines([first.text, second.text]), x: first.x, end: Math.max(first.end, second.end), size: Math.max(same.size, l.size) });
      }
      return out;
    }, []);
}

function cachePath(key: string): string {
  return path.join(config().ocrCacheDir, key.slice(0, 2), `${key}.json`);
}

async function tesseract(input: string, languages: string): Promise<string> {
  try {
    const { stdout } = await run("tesseract", [input, "stdout", "-l", languages, "--psm", "3", "tsv"], {
      timeout: OCR_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
      // One thread each: Tesseract's OpenMP threads fight over the cores (two models at once, one thread each,
      // read a page ~3× faster here than one after the other with its default threads).
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (err.killed) throw new ContentError(`text recognition took over ${OCR_TIMEOUT_MS / 1000} s and was stopped`);
    throw new ContentError(`text recognition failed: ${(err.stderr ?? err.message).trim().split("\n").pop()}`);
  }
}

/** Mean word confidence of a TSV reading, weighted by each word's characters (what the models' choice is made on). */
export function confidenceOfTsv(tsv: string): number {
  let sum = 0;
  let chars = 0;
  for (const row of tsv.split("\n").slice(1)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const n = f.slice(11).join("\t").trim().length;
    const conf = Number(f[10]);
    if (n === 0 || !(conf >= 0)) continue;
    sum += conf * n;
    chars += n;
  }
  return chars ? sum / chars : 0;
}

/**
 * The lines recognised in an image file (PNG, JPEG, TIFF, …), from the cache
 * when this image was read before. Read with each configured model on its own
 * (chi_sim, chi_tra) and the reading the model is most confident of kept:
 * both models at once scatter Traditional forms through a Simplified page and
 * the other way round.
 */
export async function recogniseImage(bytes: Uint8Array, ext = "png"): Promise<{ lines: Line[]; cached: boolean }> {
  const engine = await tesseractVersion();
  const languages = config().ocrLanguages;
  const key = createHash("sha256").update(`${OCR_CACHE_VERSION}\0${engine}\0${languages}\0`).update(bytes).digest("hex");
  const file = cachePath(key);
  try {
    return { lines: (JSON.parse(await fs.readFile(file, "utf8")) as { lines: Line[] }).lines, cached: true };
  } catch {
    // not cached yet
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ocr-"));
  try {
    const input = path.join(dir, `scan.${ext}`);
    await fs.writeFile(input, bytes);
    // The models read the page at the same time (each on one thread); the most confident reading wins, ties to the first.
    const readings = await Promise.all(languages.split("+").map(async (language) => {
      const tsv = await tesseract(input, language);
      return { language, tsv, confidence: confidenceOfTsv(tsv) };
    }));
    const best = readings.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    const lines = linesOfTsv(best.tsv);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ engine, language: best.language, confidence: best.confidence, lines }));
    await fs.rename(tmp, file);
    return { lines, cached: false };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** PDF pages rendered to PNG by poppler's pdftoppm, for recognition. */
export async function renderPdfPage(pdf: Uint8Array, page: number, dpi = 300): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "pdfpage-"));
  try {
    const input = path.join(dir, "in.pdf");
    await fs.writeFile(input, pdf);
    try {
      await run("pdftoppm", ["-r", String(dpi), "-gray", "-png", "-f", String(page), "-l", String(page), "-singlefile", input, path.join(dir, "page")], { timeout: OCR_TIMEOUT_MS });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "ENOENT") throw new ContentError("scanned PDF pages need poppler's pdftoppm: run `bash scripts/ensure-documents.sh` (Debian: apt-get install poppler-utils)");
      throw new ContentError(`page ${page} could not be rendered for recognition (${err.message.split("\n")[0]})`);
    }
    return await fs.readFile(path.join(dir, "page.png"));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
