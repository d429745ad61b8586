// Reads a content folder (or single files) into validated articles. Every
// problem is attached to its file (and line), reported, counted and skipped;
// one bad file never stops the others.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { articleSchema, type Article, type ArticleDraft } from "@/lib/content/article";
import { decodeBytes } from "@/lib/content/decode";
import { ContentError, type Problem } from "@/lib/content/errors";
import { readHtml } from "@/lib/content/formats/html";
import { readJsonl } from "@/lib/content/formats/jsonl";
import { readMarkdown } from "@/lib/content/formats/markdown";
import { readText } from "@/lib/content/formats/text";
import { detectScript } from "@/lib/text/script";

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const FORMATS = new Set([".md", ".markdown", ".html", ".htm", ".txt", ".jsonl"]);

export interface IngestResult {
  articles: Article[];
  /** Inputs that were skipped, with what was wrong. */
  errors: Problem[];
  /** Files read (one JSONL file counts once). */
  files: number;
  /** Files passed over because their format is not one we read. */
  ignored: string[];
}

export interface IngestOptions {
  maxFileBytes?: number;
}

export function contentDir(): string {
  return path.resolve(process.env.CONTENT_DIR || "content");
}

async function listFiles(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  const entries = await fs.readdir(target, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const full = path.join(target, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full)));
    // Links are followed by readFile; a broken one is reported as unreadable there.
    else if (e.isFile() || e.isSymbolicLink()) out.push(full);
  }
  return out;
}

/** A stable id from a relative path: 2019/study-session.md → 2019-study-session. */
export function idFromPath(relative: string): string {
  return slugId(relative.replace(/\.[^./\\]+$/u, ""));
}

export function slugId(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}_.~-]+/gu, "-")
    .replace(/^-+|-+$/gu, "")
    .slice(0, 200);
}

function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  return head.includes(0);
}

function contentHash(d: ArticleDraft & { title: string }): string {
  return createHash("sha256")
    .update(JSON.stringify([d.title, d.authors ?? [], d.source ?? null, d.date ?? null, d.url ?? null, d.paragraphs]))
    .digest("hex");
}

/** Turns a reader's draft into a validated article, or throws a ContentError saying what is missing. */
export function finishArticle(draft: ArticleDraft, origin: string, fallbackId: string): Article {
  const title = draft.title?.trim();
  const preview = draft.paragraphs.join(" ").slice(0, 80);
  if (!title) throw new ContentError(`no title found (first 80 chars: "${preview}")`);
  const warnings = [...(draft.warnings ?? [])];
  if (draft.paragraphs.length === 0) warnings.push("no body text (images or attachments only?); indexed by title");
  const candidate = {
    id: draft.id ? slugId(draft.id) || fallbackId : fallbackId,
    title,
    authors: [...new Set(draft.authors ?? [])],
    source: draft.source ?? null,
    date: draft.date ?? null,
    url: draft.url ?? null,
    tags: draft.tags ?? [],
    paragraphs: draft.paragraphs,
    script: detectScript(`${title}\n${draft.paragraphs.join("\n")}`),
    contentHash: contentHash({ ...draft, title }),
    origin,
    warnings,
  };
  const parsed = articleSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContentError(`invalid article: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

function readDocument(ext: string, text: string): ArticleDraft {
  if (ext === ".md" || ext === ".markdown") return readMarkdown(text);
  if (ext === ".html" || ext === ".htm") return readHtml(text);
  return readText(text);
}

/** Ingests files and folders. Paths inside a folder are reported relative to it. */
export async function ingest(targets: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const result: IngestResult = { articles: [], errors: [], files: 0, ignored: [] };
  const byId = new Map<string, Article>();
  const byHash = new Map<string, Article>();

  const accept = (article: Article) => {
    const twin = byHash.get(article.contentHash);
    if (twin) article = { ...article, warnings: [...article.warnings, `same content as ${twin.origin} (id "${twin.id}")`] };
    let id = article.id;
    if (byId.has(id)) {
      let n = 2;
      while (byId.has(`${article.id}~${n}`)) n++;
      id = `${article.id}~${n}`;
      article = {
        ...article,
        id,
        warnings: [...article.warnings, `duplicate id "${article.id}" (also in ${byId.get(article.id)!.origin}); kept as "${id}"`],
      };
    }
    byId.set(id, article);
    if (!twin) byHash.set(article.contentHash, article);
    result.articles.push(article);
  };

  for (const target of targets) {
    let files: string[];
    let root: string;
    try {
      const stat = await fs.stat(target);
      root = stat.isDirectory() ? target : path.dirname(target);
      files = await listFiles(target);
    } catch (e) {
      result.errors.push({ file: target, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    for (const file of files) {
      const ext = path.extname(file).toLowerCase();
      const rel = path.relative(root, file).split(path.sep).join("/") || path.basename(file);
      const shown = targets.length === 1 && files.length === 1 ? target : rel;
      if (!FORMATS.has(ext)) {
        result.ignored.push(shown);
        continue;
      }
      result.files++;
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file);
      } catch (e) {
        result.errors.push({ file: shown, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
        continue;
      }
      if (ext !== ".jsonl" && bytes.length > maxBytes) {
        result.errors.push({ file: shown, message: `file is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit` });
        continue;
      }
      if (looksBinary(bytes)) {
        result.errors.push({ file: shown, message: "binary file, not text" });
        continue;
      }
      const text = decodeBytes(bytes).text;
      if (text.trim().length === 0) {
        result.errors.push({ file: shown, message: "empty file" });
        continue;
      }
      if (ext === ".jsonl") {
        const base = idFromPath(rel);
        for (const entry of readJsonl(text)) {
          if (entry.error) {
            result.errors.push({ file: shown, line: entry.line, message: entry.error });
            continue;
          }
          const lineBytes = Buffer.byteLength(JSON.stringify(entry.draft));
          if (lineBytes > maxBytes) {
            result.errors.push({ file: shown, line: entry.line, message: `record is over the ${(maxBytes / 1048576).toFixed(0)} MB limit` });
            continue;
          }
          try {
            accept(finishArticle(entry.draft!, `${shown}:${entry.line}`, `${base}-${entry.line}`));
          } catch (e) {
            if (!(e instanceof ContentError)) throw e;
            result.errors.push({ file: shown, line: entry.line, message: e.message });
          }
        }
        continue;
      }
      try {
        accept(finishArticle(readDocument(ext, text), shown, idFromPath(rel)));
      } catch (e) {
        if (!(e instanceof ContentError)) {
          result.errors.push({ file: shown, message: `could not be read: ${(e as Error).message}` });
          continue;
        }
        result.errors.push({ file: shown, message: e.message });
      }
    }
  }
  return result;
}
