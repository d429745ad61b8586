// The folder store (the embedded default; `IndexStore` in store.ts):
// generations, the CURRENT pointer, the rules for loading or refusing one,
// the word segments generations share, the ingest cache and the lock that
// keeps two index runs apart.
//
//   INDEX_DIR/CURRENT                    the live generation's name, replaced by a rename
//   INDEX_DIR/LOCK                       pid of the index run in progress
//   INDEX_DIR/builds/<gen>/manifest.json written last; lists every file with its size
//   INDEX_DIR/builds/<gen>/articles.utf16.json, articles.crc32, catalog.json, ngrams.bin, serials.bin, sources.json,
//                          reader.json, signatures.bin, aids-carry.bin, query-segmenter.bin
//   INDEX_DIR/segments/<seg>/docs.json, words.txt, flex/words.bin   immutable word segments
//                          (flex/ holds FlexSearch's export instead in segments saved before words.bin)
//
// A crash at any point leaves CURRENT naming a complete generation: folders
// are written as `.partial` and renamed, the pointer last.
import { closeSync, existsSync, promises as fs, openSync, readdirSync, readFileSync, readSync, statSync, watch, writeSync, type FSWatcher } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { config } from "@/lib/config/env.cjs";
import type { FileOutcome } from "@/lib/content/ingest";
import { SearchIndex, type IndexParts } from "@/lib/search/engine/search-index";
import type { ArticleMeta, CatalogEntry, StoredArticle } from "@/lib/search/formats/article-record";
import type { ArticleJson, Generation, NewSegment, SegmentReader } from "@/lib/search/formats/generation";
import { docOfSerial, type IndexManifest } from "@/lib/search/formats/manifest";
import { mergeNgramFile, NgramIndex } from "@/lib/search/formats/ngram-index";
import { closeWhenCollected } from "@/lib/search/formats/open-files";
import { WordIndex, WordLayer } from "@/lib/search/formats/word-index";
import { loadCarry, storeAids } from "@/lib/search/formats/reader-aids-codec";
import { decodeLiveChanges, encodeLiveChanges, type LiveChanges } from "@/lib/search/formats/live-changes";
import { cachedSegment, checkManifest, GenerationError, isOriginalKey, newGenerationName, originalBytes, originalsOf, parseAids, parseUint32s, type IncrementalBase, type IndexStore, type LoadedGeneration, type LoadOptions, type SavedGeneration } from "@/lib/search/storage/store";
import { querySegmenterLoaded, querySegmenterTables } from "@/lib/text/segment";

const ARTICLES_FILE = "articles.utf16.json";
/** Where each article's JSON starts and ends in ARTICLES_FILE (UTF-16 units, two u32 an article): lets the next build copy it unparsed. */
const OFFSETS_FILE = "articles.offsets";
/**
 * Each article's CRC-32 (of its bytes in ARTICLES_FILE), a u32 an article:
 * damage that leaves the JSON valid and the size unchanged (a flipped bit
 * turns one character into another) is found where an article is read, and
 * by the next index run before it copies the article on. Generations written
 * before it have none and are read unchecked.
 */
const CHECKSUMS_FILE = "articles.crc32";
/** Ids and content hashes in document order. */
const CATALOG_FILE = "catalog.json";
/** Document originals, by sha256, beside the builds (shared by generations, collected with them). */
const ORIGINALS_DIR = "originals";
const NGRAMS_FILE = "ngrams.bin";
const SERIALS_FILE = "serials.bin";
/** The ingest cache: what each input file gave (named before "source" meant only an article's 来源; the name is the format's). */
const INPUTS_FILE = "sources.json";
const MANIFEST_FILE = "manifest.json";
/** Key terms, related articles, repost groups, word frequencies and pinyin (reader-aids.ts). */
const READER_FILE = "reader.json";
/** MinHash signatures of the bodies, carried by the next incremental build. */
const SIGNATURES_FILE = "signatures.bin";
/** What only the next incremental build reads of the reader aids. */
const CARRY_FILE = "aids-carry.bin";
/** The query segmenter's tables (lib/text/jieba-cut.ts), read by a starting server instead of jieba's dictionary. */
const SEGMENTER_FILE = "query-segmenter.bin";
const INPUTS_VERSION = 1;

/** INDEX_DIR, resolved. */
export function indexDir(): string {
  return config().indexDir;
}

/** The live generation's name, or null when there is none yet. */
export function readCurrent(dir: string): string | null {
  try {
    return readFileSync(path.join(dir, "CURRENT"), "utf8").trim() || null;
  } catch {
    return null;
  }
}

const buildPath = (dir: string, name: string) => path.join(dir, "builds", name);
const segmentPath = (dir: string, name: string) => path.join(dir, "segments", name);

/**
 * File reads for loading a generation. A server swapping generations under
 * load reads synchronously: every asynchronous read would wait behind the
 * queue of requests (at saturation, most of a second each), and a swap would
 * take many seconds; a synchronous load pauses requests once, briefly.
 */
interface Reader {
  file(path: string): Promise<Buffer>;
  size(path: string): Promise<number>;
  list(path: string): Promise<string[]>;
}

const asyncReader: Reader = { file: (p) => fs.readFile(p), size: async (p) => (await fs.stat(p)).size, list: (p) => fs.readdir(p) };
const syncReader: Reader = {
  file: async (p) => readFileSync(p),
  size: async (p) => statSync(p).size,
  list: async (p) => readdirSync(p),
};

async function readManifest(dir: string, name: string, io: Reader = asyncReader): Promise<IndexManifest> {
  const file = path.join(buildPath(dir, name), MANIFEST_FILE);
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse((await io.file(file)).toString("utf8")) as IndexManifest;
  } catch (e) {
    throw new GenerationError(`search: ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "missing (generation incomplete)" : `unreadable (${(e as Error).message})`}`);
  }
  checkManifest(manifest, file);
  if (!manifest.files || !Array.isArray(manifest.segments)) throw new GenerationError(`search: ${file}: no file list (generation incomplete)`);
  return manifest;
}

/** Where a file the manifest lists is: `build/…` inside the generation's own folder (wherever it was moved), `segments/…` in the index folder. */
function listedPath(dir: string, name: string, rel: string): string {
  return rel.startsWith("build/") ? path.join(buildPath(dir, name), rel.slice("build/".length)) : path.join(dir, rel);
}

/** Every file the manifest lists must be there with its size: a truncated or half-copied generation is refused before parsing. */
async function checkFiles(dir: string, name: string, manifest: IndexManifest, io: Reader = asyncReader): Promise<void> {
  await Promise.all(
    Object.entries(manifest.files!).map(async ([rel, size]) => {
      const file = listedPath(dir, name, rel);
      let actual: number;
      try {
        actual = await io.size(file);
      } catch {
        throw new GenerationError(`search: generation ${name}: ${file} is missing`);
      }
      if (actual !== size) throw new GenerationError(`search: generation ${name}: ${file} has ${actual} bytes, the manifest says ${size}`);
    }),
  );
}

function parseArticles(bytes: Buffer, file: string, expected: number): StoredArticle[] {
  let articles: StoredArticle[];
  try {
    articles = JSON.parse(bytes.toString("utf16le")) as StoredArticle[];
  } catch (e) {
    throw new GenerationError(`search: ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(articles) || articles.length !== expected) throw new GenerationError(`search: ${file} has ${Array.isArray(articles) ? articles.length : "no"} articles, the manifest says ${expected}`);
  return articles;
}

/** Sequential output through one reused buffer: many small pieces become few large writes. */
class StagedFile {
  private readonly buf = Buffer.allocUnsafe(8 << 20);
  private n = 0;
  /** Bytes written so far. */
  pos = 0;
  constructor(private readonly fd: number) {}

  private writeAll(b: Uint8Array, len = b.length): void {
    for (let done = 0; done < len; ) done += writeSync(this.fd, b, done, len - done);
  }

  flush(): void {
    this.writeAll(this.buf, this.n);
    this.n = 0;
  }

  utf16(text: string): void {
    const bytes = text.length * 2;
    if (bytes > this.buf.length - this.n) this.flush();
    if (bytes > this.buf.length) this.writeAll(Buffer.from(text, "utf16le"));
    else this.n += this.buf.write(text, this.n, "utf16le");
    this.pos += bytes;
  }

  /** Copies `len` bytes at `start` of another file. */
  copy(fd: number, start: number, len: number): void {
    for (let done = 0; done < len; ) {
      if (this.n === this.buf.length) this.flush();
      const got = readSync(fd, this.buf, this.n, Math.min(len - done, this.buf.length - this.n), start + done);
      if (got === 0) throw new Error("search: article file ended early");
      this.n += got;
      done += got;
    }
    this.pos += len;
  }
}

/**
 * Writes the article file (a JSON array, UTF-16LE) from each article's JSON
 * and returns where each one stands in it. Kept articles are copied from the
 * previous file as bytes, runs of neighbours in one piece, never parsed.
 */
function writeArticleFile(to: string, pieces: ArticleJson[], from?: string): Uint32Array {
  const offsets = new Uint32Array(2 * pieces.length);
  const out = openSync(to, "w");
  const src = from ? openSync(from, "r") : -1;
  try {
    const file = new StagedFile(out);
    file.utf16("[");
    for (let i = 0; i < pieces.length; ) {
      if (i) file.utf16(",");
      const p = pieces[i];
      if (typeof p === "string") {
        offsets[2 * i] = file.pos / 2;
        file.utf16(p);
        offsets[2 * i + 1] = file.pos / 2;
        i++;
        continue;
      }
      // A run of kept articles that stood side by side (one comma apart) is one copy.
      let j = i;
      const base = file.pos / 2 - p.start;
      for (;;) {
        offsets[2 * j] = base + (pieces[j] as { start: number }).start;
        offsets[2 * j + 1] = base + (pieces[j] as { end: number }).end;
        const next = pieces[j + 1];
        if (j + 1 < pieces.length && typeof next !== "string" && next.start === (pieces[j] as { end: number }).end + 1) j++;
        else break;
      }
      const end = (pieces[j] as { end: number }).end;
      file.copy(src, p.start * 2, (end - p.start) * 2);
      i = j + 1;
    }
    file.utf16("]");
    file.flush();
  } finally {
    closeSync(out);
    if (src >= 0) closeSync(src);
  }
  return offsets;
}

/**
 * A generation's catalog: ids and content hashes in document order (what an
 * incremental build compares), and each article's entry (what a server
 * keeps in memory). Generations written before entries existed have none.
 */
interface Catalog {
  ids: string[];
  hashes: string[];
  articles?: CatalogEntry[];
}

/** How many bodies a server keeps after reading them (~2.5 KB of text each on the corpus). */
const RECENT_BODIES = 2000;

/**
 * Bodies read on demand from a generation's article file: one positioned
 * read and one small parse per article. A server keeps the catalog in memory
 * and reads a body when a query needs its text, a snippet or the reading page.
 */
class ArticleBodies {
  private readonly fd: number;
  constructor(
    private readonly file: string,
    private readonly offsets: Uint32Array,
    private readonly checksums: Uint32Array | null,
  ) {
    this.fd = openSync(file, "r");
    closeWhenCollected(this, this.fd);
  }

  /** Recently read bodies (with a paged original's pages), least recently used first: a results page's hits are read once, not on every request for it. */
  private readonly recent = new Map<number, Pick<StoredArticle, "paragraphs" | "pages">>();

  private body(doc: number): Pick<StoredArticle, "paragraphs" | "pages"> {
    let body = this.recent.get(doc);
    if (body) {
      this.recent.delete(doc);
    } else {
      const { paragraphs, pages } = this.parse(doc);
      body = { paragraphs, pages };
      if (this.recent.size >= RECENT_BODIES) this.recent.delete(this.recent.keys().next().value!);
    }
    this.recent.set(doc, body);
    return body;
  }

  paragraphs(doc: number): string[] {
    return this.body(doc).paragraphs;
  }

  /** A paged original's paragraph pages (from the same read as its paragraphs). */
  pages(doc: number): number[] | undefined {
    return this.body(doc).pages;
  }

  /**
   * Checks that an article reads back as the catalog lists it (a cheap check
   * at load, of the first and last: a file overwritten or cut is refused
   * before it serves).
   */
  check(doc: number, id: string): void {
    const article = this.parse(doc);
    if (article.id !== id || !Array.isArray(article.paragraphs)) throw new GenerationError(`search: ${this.file}: article ${doc} is not ${id} of the catalog`);
  }

  private parse(doc: number): StoredArticle {
    return articleAt(this.fd, this.file, this.offsets[2 * doc], this.offsets[2 * doc + 1], doc, this.checksums?.[doc]);
  }
}

/**
 * The article stored between two offsets (UTF-16 units) of an open article
 * file, checked against its checksum when there is one, and parsed; errors
 * name the file and the article.
 */
function articleAt(fd: number, file: string, start: number, end: number, doc: number, checksum?: number): StoredArticle {
  const bytes = Buffer.allocUnsafe((end - start) * 2);
  for (let done = 0; done < bytes.length; ) {
    const got = readSync(fd, bytes, done, bytes.length - done, start * 2 + done);
    if (got === 0) throw new GenerationError(`search: ${file} ended early (article ${doc})`);
    done += got;
  }
  if (checksum !== undefined && crc32(bytes) !== checksum) throw new GenerationError(`search: ${file}: article ${doc} does not match its checksum (the file is damaged)`);
  try {
    return JSON.parse(bytes.toString("utf16le")) as StoredArticle;
  } catch (e) {
    throw new GenerationError(`search: ${file}: not valid JSON (article ${doc}: ${(e as Error).message})`);
  }
}

/** The articles of a generation as the engine takes them: from the catalog with bodies on demand, or (older generations) parsed whole. */
async function loadArticles(build: string, manifest: IndexManifest, io: Reader): Promise<Pick<IndexParts, "articles" | "body" | "pages">> {
  const [catalogBytes, offsetBytes, checksumBytes] = await Promise.all([
    io.file(path.join(build, CATALOG_FILE)),
    io.file(path.join(build, OFFSETS_FILE)),
    hasChecksums(manifest) ? io.file(path.join(build, CHECKSUMS_FILE)) : null,
  ]);
  let catalog: Catalog;
  try {
    catalog = JSON.parse(catalogBytes.toString("utf8")) as Catalog;
  } catch (e) {
    throw new GenerationError(`search: ${path.join(build, CATALOG_FILE)}: not valid JSON (${(e as Error).message})`);
  }
  const entries = catalog.articles;
  if (!entries) return { articles: parseArticles(await io.file(path.join(build, ARTICLES_FILE)), path.join(build, ARTICLES_FILE), manifest.articles) };
  if (catalog.ids.length !== manifest.articles || catalog.hashes.length !== manifest.articles || entries.length !== manifest.articles)
    throw new GenerationError(`search: ${path.join(build, CATALOG_FILE)} does not list the manifest's ${manifest.articles} articles`);
  const offsets = parseUint32s(offsetBytes, path.join(build, OFFSETS_FILE), 2 * manifest.articles);
  const checksums = checksumBytes && parseUint32s(checksumBytes, path.join(build, CHECKSUMS_FILE), manifest.articles);
  const bodies = new ArticleBodies(path.join(build, ARTICLES_FILE), offsets, checksums);
  if (manifest.articles > 0) for (const doc of new Set([0, manifest.articles - 1])) bodies.check(doc, catalog.ids[doc]);
  const articles: ArticleMeta[] = entries.map((e, doc) => ({ id: catalog.ids[doc], contentHash: catalog.hashes[doc], ...e }));
  return { articles, body: (doc) => bodies.paragraphs(doc), pages: (doc) => bodies.pages(doc) };
}

/** One article's stored JSON from an article file, by its offsets. */
function readArticle(file: string, start: number, end: number, doc: number, checksum?: number): StoredArticle {
  const fd = openSync(file, "r");
  try {
    return articleAt(fd, file, start, end, doc, checksum);
  } finally {
    closeSync(fd);
  }
}

function hasChecksums(manifest: IndexManifest): boolean {
  return `build/${CHECKSUMS_FILE}` in (manifest.files ?? {});
}

/**
 * Each article's CRC-32 in an article file, by its offsets (ascending, as
 * the file is written), read in large sequential pieces.
 */
function articleChecksums(file: string, offsets: Uint32Array): Uint32Array {
  const n = offsets.length / 2;
  const out = new Uint32Array(n);
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(8 << 20);
  let from = 0;
  let to = 0;
  try {
    for (let doc = 0; doc < n; doc++) {
      const end = offsets[2 * doc + 1] * 2;
      let crc = 0;
      for (let pos = offsets[2 * doc] * 2; pos < end; ) {
        if (pos < from || pos >= to) {
          const got = readSync(fd, buf, 0, buf.length, pos);
          if (got === 0) throw new GenerationError(`search: ${file} ended early (article ${doc})`);
          from = pos;
          to = pos + got;
        }
        const upTo = Math.min(end, to);
        crc = crc32(buf.subarray(pos - from, upTo - from), crc);
        pos = upTo;
      }
      out[doc] = crc;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The generation's n-gram file, opened: its postings stay in the file (see NgramIndex.open). */
function openNgrams(file: string): NgramIndex {
  try {
    return NgramIndex.open(file);
  } catch (e) {
    throw new GenerationError((e as Error).message);
  }
}

async function loadSegment(dir: string, name: string, docs: number, io: Reader): Promise<WordIndex> {
  const flex = path.join(segmentPath(dir, name), "flex");
  try {
    const keys = (await io.list(flex)).sort();
    const files = await Promise.all(keys.map(async (key) => [key, await io.file(path.join(flex, key))] as [string, Buffer]));
    return await WordIndex.fromFiles(files, docs, flex);
  } catch (e) {
    throw new GenerationError(`search: word segment ${flex}: ${(e as Error).message}`);
  }
}

/** Loads a generation (the current one by default), refusing one that is incomplete, corrupt or built with other rules. */
export async function loadGeneration(dir: string, options: LoadOptions = {}): Promise<LoadedGeneration> {
  const name = options.name ?? readCurrent(dir);
  if (!name) throw new GenerationError(`search: no index in ${dir} (run npm run index first)`);
  const build = buildPath(dir, name);
  const io = options.sync ? syncReader : asyncReader;
  const manifest = await readManifest(dir, name, io);
  await checkFiles(dir, name, manifest, io);
  const cache = options.segments ?? new Map();
  const reads = Promise.all([
    loadArticles(build, manifest, io),
    io.file(path.join(build, SERIALS_FILE)),
    io.file(path.join(build, READER_FILE)),
    io.file(path.join(build, SIGNATURES_FILE)),
  ]);
  const segmentLoads = manifest.segments.map((s) => cachedSegment(cache, s.name, () => loadSegment(dir, s.name, s.docs, io)));
  const segmenterFile = path.join(build, SEGMENTER_FILE);
  const saved = manifest.files?.[`build/${SEGMENTER_FILE}`] !== undefined && !querySegmenterLoaded() ? { tables: await io.file(segmenterFile), where: segmenterFile } : null;
  options.whileReading?.(saved);
  const [articles, serialBytes, readerBytes, signatureBytes] = await reads;
  const ngrams = openNgrams(path.join(build, NGRAMS_FILE));
  const serials = parseUint32s(serialBytes, path.join(build, SERIALS_FILE), manifest.articles);
  const words = new WordLayer(await Promise.all(segmentLoads), docOfSerial(manifest, serials));
  const aids = parseAids(readerBytes, signatureBytes, build, manifest.articles);
  return { name, index: new SearchIndex({ ...articles, ngrams, words, manifest, aids }) };
}

/** Names of the generations in the index folder, newest first (names start with the time they were saved). */
async function listGenerations(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(path.join(dir, "builds"))).filter((n) => !n.endsWith(".partial")).sort().reverse();
  } catch {
    return [];
  }
}

/** The current index, for command-line tools and tests. */
export async function openIndex(dir: string = indexDir(), whileReading?: LoadOptions["whileReading"]): Promise<SearchIndex> {
  return (await loadGeneration(dir, { whileReading })).index;
}

function fileSegments(dir: string): SegmentReader {
  return {
    async docs(name) {
      const file = path.join(segmentPath(dir, name), "docs.json");
      const d = JSON.parse(await fs.readFile(file, "utf8")) as { serials: number[]; hashes: string[] };
      return { serials: Uint32Array.from(d.serials), hashes: d.hashes };
    },
    async words(name) {
      return (await fs.readFile(path.join(segmentPath(dir, name), "words.txt"), "utf8")).split("\n");
    },
  };
}

/**
 * The current generation as the base of an incremental build, or the reason
 * a full build is needed (no index yet, other rules, unreadable files).
 */
export async function incrementalBase(dir: string): Promise<IncrementalBase | { reason: string }> {
  const name = readCurrent(dir);
  if (!name) return { reason: "no index yet" };
  try {
    const manifest = await readManifest(dir, name);
    await checkFiles(dir, name, manifest);
    const build = buildPath(dir, name);
    // The big files are not read here: kept articles and postings are copied from them while the next generation is written.
    const [offsetBytes, catalogJson, serialBytes, inputsJson, checksumBytes] = await Promise.all([
      fs.readFile(path.join(build, OFFSETS_FILE)),
      fs.readFile(path.join(build, CATALOG_FILE), "utf8"),
      fs.readFile(path.join(build, SERIALS_FILE)),
      fs.readFile(path.join(build, INPUTS_FILE), "utf8"),
      hasChecksums(manifest) ? fs.readFile(path.join(build, CHECKSUMS_FILE)) : null,
    ]);
    const inputs = JSON.parse(inputsJson) as { version: number; files: FileOutcome[] };
    if (inputs.version !== INPUTS_VERSION) return { reason: `ingest cache of another version (${inputs.version})` };
    const catalog = JSON.parse(catalogJson) as Catalog;
    if (catalog.ids.length !== manifest.articles) return { reason: `${build}/${CATALOG_FILE} does not list ${manifest.articles} articles` };
    const entries = catalog.articles;
    if (!entries) return { reason: `${build}/${CATALOG_FILE} has no article entries (written before bodies were read on demand)` };
    const offsets = parseUint32s(offsetBytes, path.join(build, OFFSETS_FILE), 2 * manifest.articles);
    const files = { articles: path.join(build, ARTICLES_FILE), ngrams: path.join(build, NGRAMS_FILE) };
    // Every kept article is copied on unparsed: each is checked first (one sequential read of the file).
    const checksums = checksumBytes && parseUint32s(checksumBytes, path.join(build, CHECKSUMS_FILE), manifest.articles);
    const damaged = new Set<number>();
    if (checksums) articleChecksums(files.articles, offsets).forEach((crc, doc) => crc !== checksums[doc] && damaged.add(doc));
    return {
      previous: {
        manifest,
        ids: catalog.ids,
        hashes: catalog.hashes,
        json: (doc) => ({ start: offsets[2 * doc], end: offsets[2 * doc + 1] }),
        meta: (doc) => entries[doc],
        article: (doc) => readArticle(files.articles, offsets[2 * doc], offsets[2 * doc + 1], doc, checksums?.[doc]),
        damaged,
        files,
        serials: parseUint32s(serialBytes, path.join(build, SERIALS_FILE), manifest.articles),
        segments: fileSegments(dir),
        aids: async () => {
          const [json, sig, carry] = await Promise.all([
            fs.readFile(path.join(build, READER_FILE)),
            fs.readFile(path.join(build, SIGNATURES_FILE)),
            fs.readFile(path.join(build, CARRY_FILE)),
          ]);
          return loadCarry(parseAids(json, sig, build, manifest.articles), carry, path.join(build, CARRY_FILE));
        },
      },
      inputs: inputs.files,
    };
  } catch (e) {
    return { reason: (e as Error).message };
  }
}

async function writeSegment(dir: string, seg: NewSegment): Promise<void> {
  const final = segmentPath(dir, seg.name);
  // Segments are immutable and uniquely named: one already written is this one.
  if (await fs.stat(final).then(() => true, () => false)) return;
  const partial = `${final}.partial`;
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(path.join(partial, "flex"), { recursive: true });
  await seg.index.save(path.join(partial, "flex"));
  await fs.writeFile(path.join(partial, "docs.json"), JSON.stringify({ serials: Array.from(seg.serials), hashes: seg.hashes }));
  await fs.writeFile(path.join(partial, "words.txt"), seg.words.join("\n"));
  await fs.rename(partial, final);
}

async function sizesUnder(root: string, rel: string, out: Record<string, number>): Promise<void> {
  for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) await sizesUnder(root, r, out);
    else out[r] = (await fs.stat(path.join(root, r))).size;
  }
}

/**
 * Writes a generation and makes it current (writeGeneration, then
 * publishGeneration): for command-line tools, tests and benchmarks.
 */
export async function saveGeneration(dir: string, gen: Generation, inputs: FileOutcome[] = []): Promise<SavedGeneration> {
  const saved = await writeGeneration(dir, gen, inputs);
  await publishGeneration(dir, saved);
  return saved;
}

/** Writes a generation, not yet current: new word segments first, then the build folder (manifest last, renamed into place). */
async function writeGeneration(dir: string, gen: Generation, inputs: FileOutcome[], originals: ReadonlyMap<string, string> = new Map()): Promise<SavedGeneration> {
  await fs.mkdir(path.join(dir, "builds"), { recursive: true });
  await keepOriginals(dir, originals);
  await fs.mkdir(path.join(dir, "segments"), { recursive: true });
  const name = newGenerationName();
  const final = buildPath(dir, name);
  const partial = `${final}.partial`;
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial);
  let ngramKeys = gen.manifest.ngrams;
  if (gen.ngrams instanceof NgramIndex) {
    const file = await fs.open(path.join(partial, NGRAMS_FILE), "w");
    try {
      await file.writev(gen.ngrams.serializeParts());
    } finally {
      await file.close();
    }
  } else ngramKeys = mergeNgramFile(gen.ngrams.from, path.join(partial, NGRAMS_FILE), gen.ngrams.merge);
  // UTF-16: for Chinese text smaller than UTF-8 (2 bytes a character, not 3) and read back without decoding work.
  const offsets = writeArticleFile(path.join(partial, ARTICLES_FILE), gen.articleJson, gen.articlesFrom);
  await fs.writeFile(path.join(partial, OFFSETS_FILE), Buffer.from(offsets.buffer));
  // Of the bytes as written and read back: what a reader will find.
  await fs.writeFile(path.join(partial, CHECKSUMS_FILE), Buffer.from(articleChecksums(path.join(partial, ARTICLES_FILE), offsets).buffer));
  await fs.writeFile(path.join(partial, CATALOG_FILE), JSON.stringify({ ids: gen.ids, hashes: gen.hashes, articles: gen.meta } satisfies Catalog));
  await fs.writeFile(path.join(partial, SERIALS_FILE), Buffer.from(gen.serials.buffer, gen.serials.byteOffset, gen.serials.byteLength));
  await fs.writeFile(path.join(partial, INPUTS_FILE), JSON.stringify({ version: INPUTS_VERSION, files: inputs }));
  // The word layer may still have been segmenting while the files above were written.
  const words = await gen.words;
  for (const seg of words.newSegments) await writeSegment(dir, seg);
  const aids = await gen.aids;
  const stored = storeAids(aids.aids, aids.df);
  await fs.writeFile(path.join(partial, READER_FILE), stored.reader);
  await fs.writeFile(path.join(partial, CARRY_FILE), stored.carry);
  await fs.writeFile(path.join(partial, SIGNATURES_FILE), Buffer.from(stored.signatures.buffer, stored.signatures.byteOffset, stored.signatures.byteLength));
  await fs.writeFile(path.join(partial, SEGMENTER_FILE), querySegmenterTables());
  const buildFiles: Record<string, number> = {};
  await sizesUnder(partial, "", buildFiles);
  const listed: Record<string, number> = {};
  for (const [rel, size] of Object.entries(buildFiles)) listed[`build/${rel}`] = size;
  for (const s of words.segments) await sizesUnder(dir, path.join("segments", s.name, "flex"), listed);
  const build = { ...gen.manifest.build, segmented: words.segmented, merged: words.merged };
  const manifest: IndexManifest = { ...gen.manifest, ngrams: ngramKeys, segments: words.segments, build, files: listed, originals: originalsOf(gen.meta) };
  // The manifest goes last: a build folder without one is incomplete.
  await fs.writeFile(path.join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  await fs.rename(partial, final);
  return { name, manifest, bytes: Object.values(listed).reduce((n, b) => n + b, 0) };
}

/**
 * Makes a written generation current: the CURRENT pointer replaced by a
 * rename. Keeps the previous generation (a server may be loading it) and
 * removes older ones and segments no kept generation lists.
 */
async function publishGeneration(dir: string, saved: SavedGeneration): Promise<void> {
  const previous = readCurrent(dir);
  const pointer = path.join(dir, `CURRENT.${process.pid}.tmp`);
  await fs.writeFile(pointer, saved.name);
  await fs.rename(pointer, path.join(dir, "CURRENT"));
  // The live changes were the previous generation's: the new one holds them.
  await fs.rm(path.join(dir, LIVE_FILE), { force: true });
  await collectGarbage(dir, [saved.name, previous].filter((n): n is string => !!n));
}

/** The live generation's live changes (formats/live-changes.ts): one file beside CURRENT, replaced in one step. */
const LIVE_FILE = "live.json";

async function saveLiveChanges(dir: string, changes: LiveChanges, originals: ReadonlyMap<string, string> = new Map()): Promise<void> {
  if (readCurrent(dir) !== changes.base) throw new Error(`index: live changes for ${changes.base}, but ${readCurrent(dir) ?? "nothing"} is live in ${dir}`);
  await keepOriginals(dir, originals);
  const tmp = path.join(dir, `${LIVE_FILE}.${process.pid}.tmp`);
  await fs.writeFile(tmp, encodeLiveChanges(changes));
  await fs.rename(tmp, path.join(dir, LIVE_FILE));
}

/** The number of generation `name`'s live changes (0: none), from the head of the file (encodeLiveChanges writes version, base and seq first). */
async function liveChangesSeq(dir: string, name: string): Promise<number> {
  let head: string;
  try {
    const file = await fs.open(path.join(dir, LIVE_FILE), "r");
    try {
      const buf = Buffer.alloc(1024);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      head = buf.toString("utf8", 0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
  const m = /^\{"version":\d+,"base":("(?:[^"\\]|\\.)*"),"seq":(\d+),/u.exec(head);
  if (m) return JSON.parse(m[1]) === name ? Number(m[2]) : 0;
  // Not our writing (a damaged file): no number is known, so the next changes take one no server can hold yet.
  return Date.now();
}

/** The live changes of generation `name`, or null when it has none (or they are another generation's). */
async function readLiveChanges(dir: string, name: string, io: Reader = asyncReader): Promise<LiveChanges | null> {
  const file = path.join(dir, LIVE_FILE);
  let text: string;
  try {
    text = (await io.file(file)).toString("utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const changes = decodeLiveChanges(text, file);
  return changes.base === name ? changes : null;
}

/** Where an original is kept: INDEX_DIR/originals/<first two hex digits>/<sha256>, shared by the generations that refer to it. */
function originalPath(dir: string, sha256: string): string {
  return path.join(dir, ORIGINALS_DIR, sha256.slice(0, 2), sha256);
}

/** Copies the originals the folder does not hold yet (each checked against its hash, written under a temporary name and renamed). */
async function keepOriginals(dir: string, originals: ReadonlyMap<string, string>): Promise<void> {
  for (const [sha256, file] of originals) {
    if (!isOriginalKey(sha256)) continue;
    const target = originalPath(dir, sha256);
    if (existsSync(target)) continue;
    const bytes = await originalBytes(sha256, file);
    if (!bytes) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  }
}

async function readOriginal(dir: string, sha256: string): Promise<Buffer | null> {
  if (!isOriginalKey(sha256)) return null;
  try {
    return await fs.readFile(originalPath(dir, sha256));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Removes originals no kept generation refers to (and temporary files of killed runs). */
async function collectOriginals(dir: string, keep: ReadonlySet<string>): Promise<void> {
  const root = path.join(dir, ORIGINALS_DIR);
  let shards: string[];
  try {
    shards = await fs.readdir(root);
  } catch {
    return;
  }
  for (const shard of shards) {
    for (const name of await fs.readdir(path.join(root, shard))) if (!keep.has(name)) await fs.rm(path.join(root, shard, name), { force: true });
  }
}

/** Removes generations other than `keep`, unfinished folders, segments and originals no kept generation lists. */
async function collectGarbage(dir: string, keep: string[]): Promise<void> {
  const liveSegments = new Set<string>();
  const liveOriginals = new Set<string>();
  const kept: string[] = [];
  for (const name of keep) {
    try {
      const m = JSON.parse(await fs.readFile(path.join(buildPath(dir, name), MANIFEST_FILE), "utf8")) as IndexManifest;
      for (const s of m.segments ?? []) liveSegments.add(s.name);
      for (const o of m.originals ?? []) liveOriginals.add(o);
      kept.push(name);
    } catch {
      // An unreadable previous generation is not worth keeping.
    }
  }
  for (const b of await fs.readdir(path.join(dir, "builds"))) {
    if (!kept.includes(b)) await fs.rm(buildPath(dir, b), { recursive: true, force: true });
  }
  for (const s of await fs.readdir(path.join(dir, "segments"))) {
    if (!liveSegments.has(s)) await fs.rm(segmentPath(dir, s), { recursive: true, force: true });
  }
  await collectOriginals(dir, liveOriginals);
}

/**
 * Takes INDEX_DIR/LOCK for one index run. A lock left by a run that died
 * (kill -9, power loss) is taken over; one held by a live process is an error.
 */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, "LOCK");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: "wx" });
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number((await fs.readFile(file, "utf8").catch(() => "")).trim());
      if (holder && holder !== process.pid && isAlive(holder)) throw new Error(`another index run (pid ${holder}) holds ${file}`);
      await fs.rm(file, { force: true });
    }
  }
  throw new Error(`cannot take ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The embedded default store: generations in a folder (INDEX_DIR), loaded whole into each server's memory. */
export function diskStore(dir: string = indexDir()): IndexStore {
  let watcher: FSWatcher | undefined;
  let retry: NodeJS.Timeout | undefined;
  return {
    where: dir,
    lock: () => acquireLock(dir),
    base: () => incrementalBase(dir),
    save: (gen, inputs, originals) => writeGeneration(dir, gen, inputs, originals),
    readOriginal: (sha256) => readOriginal(dir, sha256),
    publish: (saved) => publishGeneration(dir, saved),
    current: async () => readCurrent(dir),
    list: () => listGenerations(dir),
    load: (options) => loadGeneration(dir, options),
    saveLive: (changes, originals) => saveLiveChanges(dir, changes, originals),
    readLive: (name, sync) => readLiveChanges(dir, name, sync ? syncReader : asyncReader),
    liveSeq: (name) => liveChangesSeq(dir, name),
    follow(changed) {
      const tryWatch = () => {
        try {
          watcher = watch(dir, (_event, file) => {
            const f = String(file ?? "");
            if (f === "CURRENT") changed("CURRENT changed");
            else if (f === LIVE_FILE) changed("live changes");
          });
          watcher.on("error", () => {
            watcher?.close();
            watcher = undefined;
          });
        } catch {
          // The folder may not exist yet; the retry (and the caller's poll) cover it.
        }
      };
      tryWatch();
      retry = setInterval(() => {
        if (!watcher) tryWatch();
      }, config().pollMs);
      retry.unref();
    },
    async close() {
      clearInterval(retry);
      watcher?.close();
    },
  };
}
