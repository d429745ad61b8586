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
import { readJsonlRecord } from "@/lib/content/formats/jsonl";
import { readMarkdown } from "@/lib/content/formats/markdown";
import { readText } from "@/lib/content/formats/text";
import { readDocx } from "@/lib/content/formats/docx";
import { readImage } from "@/lib/content/formats/image";
import { readPdf } from "@/lib/content/formats/pdf";
import { readWord97 } from "@/lib/content/formats/word97";
import { withOfficialFields } from "@/lib/content/documents/official-document";
import { readRecord } from "@/lib/content/importer/record";
import { contentType, formatOfName, sniff, type Format, type Sniffed } from "@/lib/content/documents/sniff";
import { slugId } from "@/lib/content/slug";
import { detectScript } from "@/lib/text/script";
import { config } from "@/lib/config/env.cjs";

export { slugId };

const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Word files, PDFs and scans are larger than text: a 300-page scanned PDF is ~50 MB. */
const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;
const BINARY_FORMATS = new Set<Format>(["docx", "doc", "wps", "pdf", "image"]);

export interface IngestResult {
  articles: Article[];
  /** Inputs that were skipped, with what was wrong. */
  errors: Problem[];
  /** Files read (one JSONL file counts once). */
  files: number;
  /** Files passed over because their format is not one we read. */
  ignored: string[];
  /** What each file gave, for the next run's `reuse`. */
  inputs: FileOutcome[];
  /** Files and JSONL lines taken from `reuse` instead of being read again. */
  reused: { files: number; lines: number };
  /** Originals of documents read in this run, by sha256: where each file is (the index keeps a copy). Replayed files' originals are already kept. */
  originals: Map<string, string>;
  /** What each file gave, for a long-lived caller's next run (IngestOptions.ledger). */
  ledger?: IngestLedger;
}

/** A file's identity on disk: when it is the same, the file was not touched (as git and make assume). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** An article a file gave, before ids are made unique; its text is found again by content hash. */
export interface ArticleRef {
  id: string;
  hash: string;
  warnings: string[];
  /** Whether the id came from the input (else it is made from the path or line number). */
  ownId: boolean;
}

/** One input of a file (the file itself, or a JSONL line) and what came of it. */
export interface RecordOutcome {
  line?: number;
  /** sha1 of a JSONL line's text: the same line is read the same way wherever it stands. */
  key?: string;
  article?: ArticleRef;
  error?: string;
}

export interface FileOutcome {
  path: string;
  stamp: FileStamp;
  /** When the stamp was taken: a file modified within a moment of it may change again unseen (git's "racy" case) and is hashed. */
  checkedAt: number;
  sha1: string;
  records: RecordOutcome[];
}

/** File systems with coarse timestamps may give a file written twice within this the same mtime. */
const RACY_MS = 2000;

/** The fields of an article that an ingest cache record holds itself; the rest is its content. */
export type ArticleIdentity = Pick<Article, "id" | "contentHash" | "origin" | "warnings">;

/** What the last run read, so that unchanged files and JSONL lines are not read again. */
export interface IngestReuse {
  files: ReadonlyMap<string, FileOutcome>;
  lines: ReadonlyMap<string, RecordOutcome>;
  /** The article with this content hash from the last run's output (its content may be read lazily), or undefined. */
  revive(identity: ArticleIdentity): Article | undefined;
}

export function ingestReuse(previous: FileOutcome[], revive: IngestReuse["revive"]): IngestReuse {
  // The lines by key only once a JSONL file is read again: a run that reads none (a Markdown file dropped in beside
  // the library) does not index every line of the last run (295k at ×10, each run of --watch).
  let lines: Map<string, RecordOutcome> | undefined;
  return {
    files: new Map(previous.map((f) => [f.path, f])),
    get lines() {
      if (!lines) {
        lines = new Map();
        for (const f of previous) for (const r of f.records) if (r.key) lines.set(r.key, r);
      }
      return lines;
    },
    revive,
  };
}

const CONTENT = Symbol("lazy article content");
type Content = Omit<Article, "origin" | "warnings">;
const CONTENT_FIELDS = ["title", "authors", "source", "date", "url", "tags", "paragraphs", "script", "format", "ocr", "docNumber", "docType", "issuer", "pages", "original"] as const;

/** An article whose content fields are getters on the prototype, read on first use (cheap to make: no per-object property definitions). */
class LazyArticle {
  declare [CONTENT]: { load: () => Content; value?: Content };
  constructor(
    readonly id: string,
    readonly contentHash: string,
    readonly origin: string,
    readonly warnings: string[],
    load: () => Content,
    /** Another lazy article's content holder, shared (a copy with other fields: withChanges). */
    holder?: { load: () => Content; value?: Content },
  ) {
    Object.defineProperty(this, CONTENT, { value: holder ?? { load }, enumerable: false });
  }
}
for (const key of CONTENT_FIELDS) {
  Object.defineProperty(LazyArticle.prototype, key, {
    get(this: LazyArticle) {
      const c = this[CONTENT];
      return (c.value ??= c.load())[key];
    },
  });
}

/**
 * An article whose content is read only when a field of it is: an unchanged
 * article is passed along by id and hash, and its text never parsed. Its
 * content fields live on the prototype, so copy it with `withChanges`, not a
 * spread (which would drop them).
 */
export function lazyArticle(identity: ArticleIdentity, load: () => Content): Article {
  return new LazyArticle(identity.id, identity.contentHash, identity.origin, identity.warnings, load) as unknown as Article;
}

/** A copy with some fields changed that leaves lazy fields lazy (a spread would read them all). */
function withChanges(article: Article, changes: Partial<Article>): Article {
  if (article instanceof LazyArticle && CONTENT_FIELDS.every((k) => !(k in changes))) {
    // The usual case (a replayed article with a warning or another id): a new lazy article sharing the content holder,
    // so the content is still read at most once. Copying property descriptors was a quarter of replaying the last
    // run's records at ×10 (the corpus ten times: every replica has a twin).
    const a = article as unknown as LazyArticle;
    return new LazyArticle(changes.id ?? a.id, changes.contentHash ?? a.contentHash, changes.origin ?? a.origin, changes.warnings ?? a.warnings, a[CONTENT].load, a[CONTENT]) as unknown as Article;
  }
  return Object.assign(Object.create(Object.getPrototypeOf(article), Object.getOwnPropertyDescriptors(article)) as Article, changes);
}

export interface IngestOptions {
  maxFileBytes?: number;
  reuse?: IngestReuse;
  /** The last run's ledger (its result's), kept by a long-lived caller whose `reuse` revives the same articles: only changed files are visited. */
  ledger?: IngestLedger;
  /** Files (absolute paths) read again even when unchanged. The caller leaves them out of `reuse` too. */
  fresh?: ReadonlySet<string>;
}

/** What a run got, file by file, for the next run's `ledger`. */
export interface IngestLedger {
  /** The targets and limits it was made for. */
  key: string;
  slices: FileSlice[];
  /** Made on the first run that uses the ledger. */
  counts?: LedgerCounts;
}

/** What one listed file gave a run. */
interface FileSlice {
  /** Its absolute path and the name it is reported by. */
  key: string;
  /** Its name, when its format is not one we read. */
  ignored?: string;
  input?: FileOutcome;
  articles: Article[];
  errors: Problem[];
  reused: { files: number; lines: number };
}

export function contentDir(): string {
  return config().contentDir;
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


function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  return head.includes(0);
}

function contentHash(d: ArticleDraft & { title: string }): string {
  const fields: unknown[] = [d.title, d.authors ?? [], d.source ?? null, d.date ?? null, d.url ?? null, d.tags ?? [], d.paragraphs];
  // Fields only documents have join the hash only when present, so the hashes of other articles stay what they were.
  // A document's original is part of it: the same text from a new file is a changed article (its download must change too).
  const extra = { ocr: d.ocr || undefined, docNumber: d.docNumber ?? undefined, docType: d.docType ?? undefined, issuer: d.issuer ?? undefined, pages: d.pages, original: d.original?.sha256 };
  if (Object.values(extra).some((v) => v !== undefined)) fields.push(extra);
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
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
    ...documentFields(draft),
  };
  const parsed = articleSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContentError(`invalid article: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

/** The document-only fields of a draft, those it has. */
function documentFields(d: ArticleDraft): Partial<Article> {
  const out: Partial<Article> = {};
  if (d.format) out.format = d.format;
  if (d.ocr) out.ocr = true;
  if (d.docNumber) out.docNumber = d.docNumber;
  if (d.docType) out.docType = d.docType;
  if (d.issuer) out.issuer = d.issuer;
  if (d.pages && d.pages.length === d.paragraphs.length && d.pages.length > 0) out.pages = d.pages;
  if (d.original) out.original = d.original;
  return out;
}

function readTextDocument(format: Format, text: string): ArticleDraft {
  // A 公文 published as a web page or saved as text gives its fields as a Word file or PDF would.
  if (format === "markdown") return { ...withOfficialFields(readMarkdown(text)), format };
  if (format === "html") return { ...withOfficialFields(readHtml(text)), format };
  return { ...withOfficialFields(readText(text)), format: "text" };
}

/** A Word file, PDF or image by its sniffed format. */
function readBinaryDocument(found: Sniffed, bytes: Uint8Array): Promise<ArticleDraft> {
  switch (found.format) {
    case "docx": return readDocx(bytes);
    case "doc": case "wps": return readWord97(bytes, found.format);
    case "pdf": return readPdf(bytes);
    default: return readImage(bytes, found.image ?? "png");
  }
}

const sha1 = (data: string | Uint8Array) => createHash("sha1").update(data).digest("hex");

function unchangedSince(before: FileOutcome, now: FileStamp): boolean {
  const a = before.stamp;
  return a.size === now.size && a.mtimeMs === now.mtimeMs && a.ino === now.ino && a.mtimeMs < before.checkedAt - RACY_MS;
}

/** What an ingest run lists: a file under a target (with the names it is reported by), or a target that cannot be read. */
type Listed = { file: string; rel: string; shown: string } | { problem: Problem };

async function listTargets(targets: string[]): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const target of targets) {
    let files: string[];
    let root: string;
    try {
      const stat = await fs.stat(target);
      root = stat.isDirectory() ? target : path.dirname(target);
      files = await listFiles(target);
    } catch (e) {
      out.push({ problem: { file: target, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } });
      continue;
    }
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join("/") || path.basename(file);
      out.push({ file, rel, shown: targets.length === 1 && files.length === 1 ? target : rel });
    }
  }
  return out;
}

/**
 * Ingests files and folders. Paths inside a folder are reported relative to
 * it. With `reuse`, a file whose stamp or bytes are unchanged, and a JSONL
 * line whose text was seen before, are taken from the last run instead of
 * being read again; with `ledger` too, only the files that changed are
 * visited at all (ingestDelta). The result is the same as reading everything.
 */
export async function ingest(targets: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const listed = await listTargets(targets);
  const key = JSON.stringify([targets, options.maxFileBytes ?? null]);
  if (options.ledger?.key === key && options.reuse) {
    const delta = await ingestDelta(listed, options.ledger, options);
    if (delta) return delta;
  }
  const run = new Ingestion(options);
  const slices: FileSlice[] = [];
  for (const entry of listed) {
    if ("problem" in entry) run.result.errors.push(entry.problem);
    else slices.push(await run.slice(entry));
  }
  run.result.ledger = { key, slices };
  return run.result;
}

/**
 * A run that visits only the files whose stamp changed since the ledger's run
 * (and those named `fresh`), reading them as a run of their own, and takes
 * every other file's articles, problems and outcome from the ledger: O(changes)
 * where a whole run replays every record of the library (295k at ×10).
 *
 * That equals a whole run when the changed files' articles, as they were and
 * as they are, share no content hash and no id root with the other files'
 * articles: only a shared hash (a twin's warning) or a shared id (`id~n`)
 * makes one file's articles depend on another's. Otherwise, null: the caller
 * runs whole.
 */
async function ingestDelta(listed: Listed[], ledger: IngestLedger, options: IngestOptions): Promise<IngestResult | null> {
  const before = new Map<string, FileSlice>();
  for (const s of ledger.slices) {
    if (before.has(s.key)) return null;
    before.set(s.key, s);
  }
  // The changed files are read as a run of their own: its articles are in no order with the others' until put in place below.
  const run = new Ingestion(options);
  const out: Array<FileSlice | Problem> = [];
  const now = new Set<string>();
  const gone: FileSlice[] = [];
  const came: FileSlice[] = [];
  for (const entry of listed) {
    if ("problem" in entry) {
      out.push(entry.problem);
      continue;
    }
    const key = sliceKey(entry);
    if (now.has(key)) return null;
    now.add(key);
    const was = before.get(key);
    if (was && (await run.unchanged(entry.file, was))) {
      out.push(was);
      continue;
    }
    if (was) gone.push(was);
    const slice = await run.slice(entry);
    came.push(slice);
    out.push(slice);
  }
  for (const s of ledger.slices) if (!now.has(s.key)) gone.push(s);
  const counts = (ledger.counts ??= countsOf(ledger.slices));
  for (const s of gone) for (const a of s.articles) counts.remove(a);
  const shared = (a: Article) => counts.hashes.has(a.contentHash) || counts.roots.has(idRoot(a.id));
  if (gone.some((s) => s.articles.some(shared)) || came.some((s) => s.articles.some(shared))) {
    // The ledger's counts are spent: the whole run makes a new ledger.
    ledger.counts = undefined;
    return null;
  }
  for (const s of came) for (const a of s.articles) counts.add(a);
  const result = emptyResult();
  result.originals = run.result.originals;
  const slices: FileSlice[] = [];
  const read = new Set(came);
  for (const x of out) {
    if ("key" in x) {
      slices.push(x);
      // A slice taken from the ledger is what a whole run would have replayed (its stamp is unchanged).
      result.reused.files += read.has(x) ? x.reused.files : x.ignored === undefined ? 1 : 0;
      result.reused.lines += read.has(x) ? x.reused.lines : 0;
      take(result, x);
    } else result.errors.push(x);
  }
  result.ledger = { key: ledger.key, slices, counts };
  return result;
}

/** Adds what a file gave to a result. */
function take(result: IngestResult, s: FileSlice): void {
  if (s.ignored !== undefined) {
    result.ignored.push(s.ignored);
    return;
  }
  result.files++;
  if (s.input) result.inputs.push(s.input);
  for (const e of s.errors) result.errors.push(e);
  for (const a of s.articles) result.articles.push(a);
}

/** How many articles have each content hash and each id root (an id without its `~n` suffixes). */
function countsOf(slices: FileSlice[]): LedgerCounts {
  const counts = new LedgerCounts();
  for (const s of slices) for (const a of s.articles) counts.add(a);
  return counts;
}

class LedgerCounts {
  readonly hashes = new Map<string, number>();
  readonly roots = new Map<string, number>();
  add(a: Article): void {
    bump(this.hashes, a.contentHash, 1);
    bump(this.roots, idRoot(a.id), 1);
  }
  remove(a: Article): void {
    bump(this.hashes, a.contentHash, -1);
    bump(this.roots, idRoot(a.id), -1);
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** An id without the `~n` suffixes the ingest gives duplicates: every id an article could be given, or could make another take, has the same root. */
export function idRoot(id: string): string {
  return id.replace(/(?:~\d+)+$/u, "");
}

function sliceKey(entry: { file: string; shown: string }): string {
  return `${path.resolve(entry.file)}\u0000${entry.shown}`;
}

function emptyResult(): IngestResult {
  return { articles: [], errors: [], files: 0, ignored: [], inputs: [], reused: { files: 0, lines: 0 }, originals: new Map() };
}

/** One ingest run: the result so far, and the ids and contents already taken (for duplicates). */
class Ingestion {
  readonly result = emptyResult();
  private readonly byId = new Map<string, Article>();
  private readonly byHash = new Map<string, Article>();
  private readonly maxBytes: number;
  private readonly reuse: IngestOptions["reuse"];
  private readonly fresh: ReadonlySet<string>;

  constructor(options: IngestOptions) {
    this.maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
    this.reuse = options.reuse;
    this.fresh = options.fresh ?? new Set();
  }

  /** One listed file, read (or replayed) into the result, and what it gave there. */
  async slice(entry: { file: string; rel: string; shown: string }): Promise<FileSlice> {
    const r = this.result;
    const at = { articles: r.articles.length, errors: r.errors.length, inputs: r.inputs.length, ignored: r.ignored.length, files: r.reused.files, lines: r.reused.lines };
    await this.file(entry.file, entry.rel, entry.shown);
    return {
      key: sliceKey(entry),
      ignored: r.ignored.length > at.ignored ? r.ignored[at.ignored] : undefined,
      input: r.inputs.length > at.inputs ? r.inputs[at.inputs] : undefined,
      articles: r.articles.slice(at.articles),
      errors: r.errors.slice(at.errors),
      reused: { files: r.reused.files - at.files, lines: r.reused.lines - at.lines },
    };
  }

  /** Whether a file is as it was when the slice was taken (by its stamp, as a whole run's replay decides), and not to be read afresh. */
  async unchanged(file: string, was: FileSlice): Promise<boolean> {
    if (was.ignored !== undefined) return !formatOfName(file);
    if (!was.input || this.fresh.has(was.input.path)) return false;
    try {
      const st = await fs.stat(file);
      return unchangedSince(was.input, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
    } catch {
      return false;
    }
  }

  /** Takes an article: a second copy of some content is warned about, a duplicate id kept as `id~n`. */
  private accept(article: Article): void {
    const twin = this.byHash.get(article.contentHash);
    if (twin) article = withChanges(article, { warnings: [...article.warnings, `same content as ${twin.origin} (id "${twin.id}")`] });
    let id = article.id;
    if (this.byId.has(id)) {
      let n = 2;
      while (this.byId.has(`${article.id}~${n}`)) n++;
      id = `${article.id}~${n}`;
      article = withChanges(article, {
        id,
        warnings: [...article.warnings, `duplicate id "${article.id}" (also in ${this.byId.get(article.id)!.origin}); kept as "${id}"`],
      });
    }
    this.byId.set(id, article);
    if (!twin) this.byHash.set(article.contentHash, article);
    this.result.articles.push(article);
  }

  /** An article again from a record of the last run, or undefined when its content is no longer at hand. */
  private revive(r: RecordOutcome, shown: string, fallbackId: string): Article | undefined {
    return this.reuse?.revive({
      id: r.article!.ownId ? r.article!.id : fallbackId,
      contentHash: r.article!.hash,
      origin: r.line ? `${shown}:${r.line}` : shown,
      warnings: r.article!.warnings,
    });
  }

  /** Replays a file's outcome from the last run; false (and nothing done) when any article cannot be revived. */
  private replay(outcome: FileOutcome, shown: string, rel: string): boolean {
    const base = idFromPath(rel);
    const revived: Array<Article | Problem> = [];
    for (const r of outcome.records) {
      if (r.error !== undefined) revived.push({ file: shown, line: r.line, message: r.error });
      else {
        const a = this.revive(r, shown, r.line ? `${base}-${r.line}` : base);
        if (!a) return false;
        revived.push(a);
      }
    }
    for (const x of revived) {
      if ("contentHash" in x) this.accept(x);
      else this.result.errors.push(x);
    }
    this.result.reused.files++;
    return true;
  }

  /** One file: skipped when its format is not ours, replayed when unchanged since the last run, else read, checked and parsed. */
  async file(file: string, rel: string, shown: string): Promise<void> {
    const { result, reuse } = this;
    const claimed = formatOfName(file);
    if (!claimed) {
      result.ignored.push(shown);
      return;
    }
    result.files++;
    let bytes: Buffer;
    let stamp: FileStamp;
    const checkedAt = Date.now();
    try {
      const st = await fs.stat(file);
      stamp = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
      const before = reuse?.files.get(path.resolve(file));
      if (before && unchangedSince(before, stamp) && this.replay(before, shown, rel)) {
        result.inputs.push(before);
        return;
      }
      bytes = await fs.readFile(file);
    } catch (e) {
      result.errors.push({ file: shown, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    const outcome: FileOutcome = { path: path.resolve(file), stamp, checkedAt, sha1: sha1(bytes), records: [] };
    const before = reuse?.files.get(outcome.path);
    if (before && before.sha1 === outcome.sha1 && this.replay(before, shown, rel)) {
      result.inputs.push({ ...before, stamp, checkedAt });
      return;
    }
    result.inputs.push(outcome);
    const sink = this.recorder(outcome, shown);
    if (bytes.length === 0) return sink.fail("empty file");
    const found = sniff(bytes, file);
    // A page the importer fetched has its record beside it (npm run import).
    const fetched = await readRecord(file);
    const binary = BINARY_FORMATS.has(found.format);
    const limit = binary ? Math.max(this.maxBytes, MAX_DOCUMENT_BYTES) : this.maxBytes;
    if (found.format !== "jsonl" && bytes.length > limit) return sink.fail(`file is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB limit`);
    if (!binary && looksBinary(bytes)) return sink.fail(BINARY_FORMATS.has(claimed) ? `not a ${claimed === "image" ? "readable image" : `.${path.extname(file).slice(1).toLowerCase()} file`}: its content is none of the formats we read` : "binary file, not text");
    try {
      let draft: ArticleDraft;
      // Every article made from a file of its own keeps the file (a JSONL file holds many records: none).
      const keep = () => {
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        result.originals.set(sha256, path.resolve(file));
        return { sha256, type: contentType(found), name: path.basename(file), bytes: bytes.length };
      };
      if (binary) draft = { ...(await readBinaryDocument(found, bytes)), original: keep() };
      else {
        const text = decodeBytes(bytes, fetched?.charset).text;
        if (text.trim().length === 0) return sink.fail("empty file");
        if (found.format === "jsonl") return this.jsonlLines(text, rel, shown, sink);
        draft = { ...readTextDocument(found.format, text), original: keep() };
      }
      if (found.mismatch) draft = { ...draft, warnings: [...(draft.warnings ?? []), found.mismatch] };
      // A page the importer fetched: its address is where it came from, when the page does not name one.
      if (fetched && !draft.url) draft = { ...draft, url: fetched.url };
      sink.take(finishArticle(draft, shown, idFromPath(rel)), !!(draft.id && slugId(draft.id)));
    } catch (e) {
      sink.fail(e instanceof ContentError ? e.message : `could not be read: ${(e as Error).message}`);
    }
  }

  /** Where a file's problems and articles go: the result, and its outcome's records (the next run's cache). */
  private recorder(outcome: FileOutcome, shown: string): RecordSink {
    return {
      fail: (message, line, key) => {
        this.result.errors.push({ file: shown, line, message });
        outcome.records.push({ line, key, error: message });
      },
      take: (article, ownId, line, key) => {
        outcome.records.push({ line, key, article: { id: article.id, hash: article.contentHash, warnings: article.warnings, ownId } });
        this.accept(article);
      },
    };
  }

  /** A JSONL file's records, one a line; a line seen before (by its text's hash) is taken from the last run. */
  private jsonlLines(text: string, rel: string, shown: string, sink: RecordSink): void {
    const base = idFromPath(rel);
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].trim();
      if (!raw) continue;
      const line = i + 1;
      const key = sha1(raw);
      const seen = this.reuse?.lines.get(key);
      if (seen) {
        if (seen.error !== undefined) {
          sink.fail(seen.error, line, key);
          this.result.reused.lines++;
          continue;
        }
        const revived = this.revive({ ...seen, line }, shown, `${base}-${line}`);
        if (revived) {
          sink.take(revived, seen.article!.ownId, line, key);
          this.result.reused.lines++;
          continue;
        }
      }
      if (Buffer.byteLength(raw) > this.maxBytes) {
        sink.fail(`record is over the ${(this.maxBytes / 1048576).toFixed(0)} MB limit`, line, key);
        continue;
      }
      try {
        const draft: ArticleDraft = { ...readJsonlRecord(raw), format: "jsonl" };
        sink.take(finishArticle(draft, `${shown}:${line}`, `${base}-${line}`), !!(draft.id && slugId(draft.id)), line, key);
      } catch (e) {
        sink.fail(e instanceof ContentError ? e.message : `could not be read: ${(e as Error).message}`, line, key);
      }
    }
  }
}

interface RecordSink {
  fail(message: string, line?: number, key?: string): void;
  take(article: Article, ownId: boolean, line?: number, key?: string): void;
}
