// Files editors upload in the browser: checked (name, size, what the bytes
// are), kept as originals under CONTENT_DIR/uploads/<year-month>/, and
// indexed by the machine's index service; each file's answer says which
// article it became, or what went wrong and what to do. Nothing uploaded is
// ever served back inline: originals go out as attachments (original.ts).
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { formatOfName, sniff, type Format } from "@/lib/content/documents/sniff";
import { contentDir, idFromPath } from "@/lib/content/ingest";
import type { AdminStore } from "@/lib/admin/store";

/** The most files one request may carry (the page sends one file per request; a tool may batch). */
export const MAX_FILES_PER_REQUEST = 20;

const EXTENSION: Record<Exclude<Format, "image">, string> = { docx: ".docx", doc: ".doc", wps: ".wps", pdf: ".pdf", html: ".html", text: ".txt", markdown: ".md", jsonl: ".jsonl" };

export interface CheckedFile {
  /** The name as given (shown back to the editor). */
  given: string;
  /** The name it is kept under: a plain file name, its extension that of what the bytes are. */
  name: string;
  bytes: Buffer;
}

export interface Refused {
  given: string;
  error: string;
  hint: string;
}

/** A file name that cannot climb out of its folder or hide: the last path segment, no control or reserved characters, no leading dots, at most 120 characters. */
export function safeFileName(given: string): string {
  const last = given.normalize("NFC").split(/[/\\]/u).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  let name = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/gu, "_").replace(/^[.\s]+/u, "").trim();
  if (name.length > 120) {
    const ext = path.extname(name).slice(0, 10);
    name = name.slice(0, 120 - ext.length) + ext;
  }
  return name || "upload";
}

function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  return head.includes(0);
}

/** Whether the file is one the pipeline reads, judged by its bytes; its kept name carries the extension of what it is. */
export function checkUpload(given: string, bytes: Buffer, maxBytes: number): CheckedFile | Refused {
  const base = safeFileName(given);
  if (bytes.length === 0) return { given, error: "文件是空的", hint: "请检查文件后重新上传" };
  if (bytes.length > maxBytes) return { given, error: `文件有 ${(bytes.length / 1048576).toFixed(1)} MB，超过上限 ${Math.round(maxBytes / 1048576)} MB`, hint: "请压缩或拆分后上传，或请运维调高 UPLOAD_MAX_MB" };
  const s = sniff(bytes, base);
  const claimed = formatOfName(base);
  // A name we do not read is taken only when the bytes are a document we do (a scan saved without an extension).
  if (!claimed && !["docx", "doc", "wps", "pdf", "image"].includes(s.format)) return { given, error: "不是可收录的格式（按内容判断）", hint: "可上传 Word（.docx/.doc/.wps）、PDF、扫描图片、网页（.html）、文本、Markdown 或 JSONL" };
  if (["text", "markdown", "jsonl", "html"].includes(s.format) && looksBinary(bytes)) return { given, error: "文件内容是二进制数据，不是它的扩展名所说的文本或网页", hint: "请上传原始文件，不要改扩展名" };
  const stem = base.replace(/\.[^.]*$/u, "") || "upload";
  const ext = s.format === "image" ? `.${s.image === "jpeg" ? "jpg" : (s.image ?? "png")}` : s.format === claimed || (s.format === "doc" && claimed === "wps") ? path.extname(base).toLowerCase() : EXTENSION[s.format];
  return { given, name: `${stem}${ext}`, bytes };
}

/** Keeps a checked file under uploads/<year-month>/ (written under a hidden name, then renamed: the index never reads half a file). The same bytes under the same name are kept once; other bytes under a taken name get -2, -3… Returns the path relative to the content folder. */
export async function keepUpload(file: CheckedFile, now = new Date(), beforeWrite?: (relative: string, bytes: Buffer) => Promise<void>): Promise<string> {
  const root = contentDir();
  const folder = path.join(root, "uploads", now.toISOString().slice(0, 7));
  await fs.mkdir(folder, { recursive: true });
  const sha = createHash("sha256").update(file.bytes).digest("hex");
  const ext = path.extname(file.name);
  const stem = file.name.slice(0, file.name.length - ext.length);
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? file.name : `${stem}-${n}${ext}`;
    const full = path.join(folder, name);
    const existing = await fs.readFile(full).catch(() => null);
    if (existing && createHash("sha256").update(existing).digest("hex") === sha) return relativeToContent(full);
    if (existing) continue;
    // A store that keeps uploads itself has the file before this folder does (a sync never removes it meanwhile).
    await beforeWrite?.(relativeToContent(full), file.bytes);
    const temp = path.join(folder, `.${name}.${process.pid}.partial`);
    await fs.writeFile(temp, file.bytes, { flag: "wx" });
    try {
      await fs.link(temp, full); // fails if another request took the name meanwhile
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw e;
    } finally {
      await fs.rm(temp, { force: true });
    }
    return relativeToContent(full);
  }
  throw new Error(`too many files named ${file.name} this month`);
}

/**
 * With a store that keeps uploads itself (PostgreSQL), makes
 * CONTENT_DIR/uploads hold exactly its files before an index run: what
 * another replica took is written here, what another replica deleted goes.
 */
export async function syncSharedUploads(store: AdminStore): Promise<void> {
  const shared = store.sharedUploads;
  if (!shared) return;
  const uploads = path.join(contentDir(), "uploads");
  const wanted = await shared.list();
  const want = new Set<string>();
  for (const u of wanted) {
    const full = path.resolve(contentDir(), u.path);
    if (!full.startsWith(uploads + path.sep)) continue;
    want.add(full);
    const have = await fs.readFile(full).catch(() => null);
    if (have && createHash("sha256").update(have).digest("hex") === u.sha256) continue;
    const bytes = await shared.get(u.path);
    if (!bytes) continue;
    await fs.mkdir(path.dirname(full), { recursive: true });
    const temp = path.join(path.dirname(full), `.${path.basename(full)}.${process.pid}.sync.partial`);
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, full);
  }
  const local = (await fs.readdir(uploads, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile() && !e.name.startsWith("."));
  for (const e of local) {
    const full = path.join(e.parentPath, e.name);
    if (!want.has(full)) await fs.rm(full, { force: true });
  }
}

/** A path as the ingest names files: relative to the content folder, with forward slashes. */
export function relativeToContent(full: string): string {
  return path.relative(contentDir(), full).split(path.sep).join("/");
}

/** The uploaded file (relative to the content folder) whose article has this id, or null. */
export async function uploadedFileOf(id: string): Promise<string | null> {
  const root = path.join(contentDir(), "uploads");
  const months = await fs.readdir(root).catch(() => [] as string[]);
  for (const month of months) {
    const names = await fs.readdir(path.join(root, month)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const rel = `uploads/${month}/${name}`;
      if (idFromPath(rel) === id) return rel;
    }
  }
  return null;
}
