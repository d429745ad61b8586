// `npm run import`: brings a site's pages into the content folder as fetched
// (the raw bytes, and beside them a hidden `.<name>.fetch.json` with the URL,
// the fetch time, the charset the server declared and the validators), so the
// one ingest pipeline extracts them at the next `npm run index`. Inputs: a
// page URL (crawled with --follow PATTERN to --depth N), a sitemap (or a
// sitemap index), an RSS or Atom feed, or a local file listing URLs.
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import * as cheerio from "cheerio";
import { XMLParser } from "fast-xml-parser";
import { parseFeed } from "feedsmith";
import { decodeBytes } from "@/lib/content/decode";
import { PoliteFetcher, type FetchLimits } from "@/lib/content/importer/fetcher";
import { readRecord, recordPath, type FetchRecord } from "@/lib/content/importer/record";

export interface ImportOptions {
  /** Where pages go: <contentDir>/imported/<host>/… */
  contentDir: string;
  /** A regular expression; links of fetched pages that match it are followed. */
  follow?: string;
  /** How many links deep to follow from the pages given (default 1 with --follow). */
  depth?: number;
  /** At most this many pages in one run. */
  maxPages?: number;
  limits?: Partial<FetchLimits>;
  /** Called after each page (progress). */
  onPage?: (url: string, outcome: PageOutcome) => void;
}

export type PageOutcome = "fetched" | "unchanged" | "disallowed" | "failed";

export interface ImportSummary {
  fetched: string[];
  unchanged: string[];
  disallowed: Array<{ url: string; reason: string }>;
  failed: Array<{ url: string; reason: string }>;
  /** Files written, relative to the content folder. */
  files: string[];
}

const EXTENSION_OF_TYPE: Array<[RegExp, string]> = [
  [/^text\/html|^application\/xhtml\+xml/u, ".html"],
  [/^application\/pdf/u, ".pdf"],
  [/^application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document/u, ".docx"],
  [/^application\/msword/u, ".doc"],
  [/^image\/png/u, ".png"],
  [/^image\/jpe?g/u, ".jpg"],
  [/^image\/tiff/u, ".tif"],
  [/^text\/plain/u, ".txt"],
  [/^text\/markdown/u, ".md"],
];
const KNOWN_EXTENSIONS = new Set([".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".md"]);

/** The charset a Content-Type names, or null. */
export function charsetOf(contentType: string | null): string | null {
  return contentType ? (/charset\s*=\s*"?([\w-]+)/iu.exec(contentType)?.[1] ?? null) : null;
}

/**
 * Where a page is kept, relative to the content folder:
 * imported/<host>/<path>, a folder's page as index.html, a query as a short
 * hash, the extension from the content type when the path has none we read.
 */
export function importedPath(url: string, contentType: string | null): string {
  const u = new URL(url);
  const host = u.host.replace(/[^a-zA-Z0-9.-]/gu, "_");
  let segments = u.pathname
    .split("/")
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // kept as written
      }
      return decoded.replace(/[\u0000-\u001f\\:*?"<>|]/gu, "_").replace(/^\.+/u, "_").slice(0, 120);
    })
    .filter((s) => s.length > 0);
  if (u.pathname.endsWith("/") || segments.length === 0) segments.push("index");
  let name = segments.pop()!;
  if (u.search) name += `__${createHash("sha1").update(u.search).digest("hex").slice(0, 10)}`;
  const ext = path.extname(name).toLowerCase();
  const byType = EXTENSION_OF_TYPE.find(([re]) => re.test(contentType ?? ""))?.[1];
  if (!KNOWN_EXTENSIONS.has(ext) || (byType && byType !== ext && !(byType === ".html" && (ext === ".htm" || ext === ".shtml")))) name += byType ?? ".html";
  return ["imported", host, ...segments, name].join("/");
}

const xml = new XMLParser({ ignoreAttributes: true, processEntities: true });

type Listing = { kind: "sitemap"; urls: string[]; sitemaps: string[] } | { kind: "feed"; urls: string[] } | { kind: "page" };

/** What a fetched document is: a sitemap (or index), a feed, or a page. */
export function listingOf(bytes: Buffer, url: string): Listing {
  const body = url.endsWith(".gz") || (bytes[0] === 0x1f && bytes[1] === 0x8b) ? gunzipSync(bytes) : bytes;
  const head = body.subarray(0, 2048).toString("utf8");
  if (/<urlset[\s>]/u.test(head) || /<sitemapindex[\s>]/u.test(head)) {
    const doc = xml.parse(body.toString("utf8")) as { urlset?: { url?: unknown }; sitemapindex?: { sitemap?: unknown } };
    const locs = (list: unknown) => (Array.isArray(list) ? list : list ? [list] : []).map((e) => String((e as { loc?: unknown }).loc ?? "").trim()).filter(Boolean);
    return { kind: "sitemap", urls: locs(doc.urlset?.url), sitemaps: locs(doc.sitemapindex?.sitemap) };
  }
  if (/<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]/u.test(head)) {
    try {
      const parsed = parseFeed(decodeBytes(body).text) as { format: string; feed: { items?: Array<{ link?: string }>; entries?: Array<{ links?: Array<{ href?: string; rel?: string }> }> } };
      const urls =
        parsed.format === "atom"
          ? (parsed.feed.entries ?? []).map((e) => (e.links ?? []).find((l) => !l.rel || l.rel === "alternate")?.href).filter((h): h is string => !!h)
          : (parsed.feed.items ?? []).map((i) => i.link).filter((h): h is string => !!h);
      return { kind: "feed", urls: urls.map((h) => new URL(h, url).href) };
    } catch {
      return { kind: "page" };
    }
  }
  return { kind: "page" };
}

/** Links of an HTML page, absolute, without fragments. */
export function linksOf(bytes: Buffer, base: string, charset: string | null): string[] {
  const $ = cheerio.load(decodeBytes(bytes, charset).text);
  const out = new Set<string>();
  $("a[href]").each((_i, a) => {
    try {
      const u = new URL($(a).attr("href")!, base);
      if (u.protocol !== "http:" && u.protocol !== "https:") return;
      u.hash = "";
      out.add(u.href);
    } catch {
      // not a link
    }
  });
  return [...out];
}

/** Runs an import of the inputs (URLs, or paths of local files listing URLs). */
export async function runImport(inputs: string[], options: ImportOptions): Promise<ImportSummary> {
  const fetcher = new PoliteFetcher(options.limits);
  const summary: ImportSummary = { fetched: [], unchanged: [], disallowed: [], failed: [], files: [] };
  const follow = options.follow ? new RegExp(options.follow, "u") : null;
  const maxDepth = follow ? (options.depth ?? 1) : 0;
  const maxPages = options.maxPages ?? 10_000;
  const seen = new Set<string>();
  const queue: Array<{ url: string; depth: number }> = [];
  const enqueue = (url: string, depth: number) => {
    const key = url.replace(/#.*$/u, "");
    if (seen.has(key) || seen.size >= maxPages) return;
    seen.add(key);
    queue.push({ url: key, depth });
  };

  // Inputs: local lists of URLs, sitemaps and feeds expand into pages; anything else is a page.
  for (const input of inputs) {
    if (!/^https?:\/\//iu.test(input)) {
      if (!existsSync(input)) {
        summary.failed.push({ url: input, reason: "neither a URL nor a file" });
        continue;
      }
      for (const line of (await fs.readFile(input, "utf8")).split(/\r?\n/u)) {
        const url = line.trim();
        if (url && !url.startsWith("#")) enqueue(url, 0);
      }
      continue;
    }
    if (/sitemap[^/]*\.xml(?:\.gz)?$|\.(?:rss|atom)$|\/(?:feed|rss)(?:\.xml)?\/?$/iu.test(new URL(input).pathname)) {
      await expandListing(input, fetcher, summary, enqueue, 0);
      continue;
    }
    enqueue(input, 0);
  }

  // Pages, several hosts at once (each host's own pace is the fetcher's).
  let active = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (;;) {
      const next = queue.shift();
      if (!next) {
        if (active === 0) return;
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      active++;
      try {
        await importPage(next, fetcher, options, summary, (url) => next.depth < maxDepth && follow?.test(url) && enqueue(url, next.depth + 1));
      } finally {
        active--;
      }
    }
  });
  await Promise.all(workers);
  return summary;
}

async function expandListing(url: string, fetcher: PoliteFetcher, summary: ImportSummary, enqueue: (url: string, depth: number) => void, level: number): Promise<void> {
  const got = await fetcher.fetchBytes(url);
  if ("error" in got) {
    summary.failed.push({ url, reason: got.error });
    return;
  }
  const listing = listingOf(got.bytes, got.finalUrl);
  if (listing.kind === "page") {
    summary.failed.push({ url, reason: "neither a sitemap nor a feed" });
    return;
  }
  for (const u of listing.urls) enqueue(u, 0);
  if (listing.kind === "sitemap") {
    for (const s of listing.sitemaps) {
      if (level >= 3) summary.failed.push({ url: s, reason: "sitemap indexes nested deeper than 3" });
      else await expandListing(new URL(s, got.finalUrl).href, fetcher, summary, enqueue, level + 1);
    }
  }
}

async function importPage(
  page: { url: string; depth: number },
  fetcher: PoliteFetcher,
  options: ImportOptions,
  summary: ImportSummary,
  found: (url: string) => unknown,
): Promise<void> {
  // The copy kept from an earlier run (under the name its URL had then) gives the validators.
  const guess = path.join(options.contentDir, importedPath(page.url, "text/html"));
  const before = await readRecord(guess);
  const r = await fetcher.fetch(page.url, before ?? {});
  if (r.kind === "disallowed" || r.kind === "failed") {
    (r.kind === "disallowed" ? summary.disallowed : summary.failed).push({ url: page.url, reason: r.reason });
    options.onPage?.(page.url, r.kind);
    return;
  }
  if (r.kind === "unchanged") {
    summary.unchanged.push(page.url);
    options.onPage?.(page.url, "unchanged");
    return;
  }
  const sha256 = createHash("sha256").update(r.bytes).digest("hex");
  // Named by the URL asked for (stable when the site moves it behind a redirect).
  const rel = importedPath(page.url, r.contentType);
  const file = path.join(options.contentDir, rel);
  const charset = charsetOf(r.contentType);
  if (/html/u.test(r.contentType ?? "text/html")) for (const link of linksOf(r.bytes, r.finalUrl, charset)) found(link);
  const previous = file === guess ? before : await readRecord(file);
  const record: FetchRecord = { url: page.url, finalUrl: r.finalUrl, fetchedAt: new Date().toISOString(), contentType: r.contentType, charset, etag: r.etag, lastModified: r.lastModified, sha256 };
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (previous?.sha256 === sha256 && existsSync(file)) {
    // The same bytes: the page stays as it was (its file untouched, so the next index run does not read it again).
    await writeAtomically(recordPath(file), JSON.stringify({ ...record, fetchedAt: previous.fetchedAt }, null, 2));
    summary.unchanged.push(page.url);
    options.onPage?.(page.url, "unchanged");
    return;
  }
  await writeAtomically(file, r.bytes);
  await writeAtomically(recordPath(file), JSON.stringify(record, null, 2));
  summary.fetched.push(page.url);
  summary.files.push(rel);
  options.onPage?.(page.url, "fetched");
}

async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/** The summary as the command prints it. */
export function describeImport(s: ImportSummary): string {
  const lines = [`import: ${s.fetched.length} fetched, ${s.unchanged.length} unchanged, ${s.disallowed.length} disallowed by robots.txt, ${s.failed.length} failed`];
  for (const d of s.disallowed) lines.push(`  disallowed ${d.url}: ${d.reason}`);
  for (const f of s.failed) lines.push(`  failed ${f.url}: ${f.reason}`);
  if (s.fetched.length) lines.push("then `npm run index` (or keep `npm run index -- --watch` running) makes them searchable");
  return lines.join("\n");
}
