// Every environment variable the product reads, parsed and validated in one
// place, each with its default and a one-line meaning. A bad value is an
// error naming the variable, raised where a process starts (the cluster's
// primary before it forks, the Next.js server's instrumentation, npm run
// index), not on the first request that happens to read it.
//
// CommonJS, so that the production server (server/cluster.cjs, plain Node
// outside the app's bundle) reads the same definitions as the TypeScript code;
// env.d.cts gives them their types. The README's environment table is checked
// against ENVIRONMENT by a unit test.
//
// The parsers are small functions, not zod schemas: every server process
// reads this module before it loads its index, and zod there cost ~200 ms of
// time to first answer (next start over the sample index, 5 starts each:
// 745–812 ms without it, 959–1048 ms with it) and ~10 MB per process.
"use strict";
const os = require("node:os");
const path = require("node:path");

/** A parser: the value from a variable's text, or undefined when the text is not one; `must` says what it must be. */
const parser = (must, parse) => ({ must, parse });

/** A whole number from its decimal text, at least `min` (and at most `max`); `unit` names what it counts in messages. */
const whole = (min, max = Number.MAX_SAFE_INTEGER, unit = "") =>
  parser(`must be a whole number${unit ? ` of ${unit}` : ""} ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`, (text) => {
    if (!/^\d+$/u.test(text)) return undefined;
    const n = Number(text);
    return n >= min && n <= max ? n : undefined;
  });

const oneOf = (...values) => parser(`must be one of ${values.join(", ")}`, (text) => (values.includes(text) ? text : undefined));

const anyText = parser("", (text) => text);

const matching = (pattern, must) => parser(must, (text) => (pattern.test(text) ? text : undefined));

const postgresUrl = matching(/^postgres(ql)?:\/\//u, "must be a postgres:// or postgresql:// URL");

/** Distinct postgres:// URLs separated by commas, in order. */
const postgresUrls = parser("must be distinct postgres:// or postgresql:// URLs separated by commas", (text) => {
  const urls = text.split(",").map((u) => u.trim()).filter((u) => u !== "");
  return urls.length > 0 && urls.every((u) => postgresUrl.parse(u) !== undefined) && new Set(urls).size === urls.length ? urls : undefined;
});

const httpUrl = parser("must be an http:// or https:// URL", (text) => (URL.canParse(text) && /^https?:$/u.test(new URL(text).protocol) ? text.replace(/\/+$/u, "") : undefined));

/**
 * name → { parser, fallback (what an unset or empty variable means, as text
 * for the README), meaning }. `fallback` null: no default (optional, or
 * required where the meaning says so).
 */
const ENVIRONMENT = {
  CONTENT_DIR: { parser: anyText, fallback: "content", meaning: "the folder `npm run index` reads articles from" },
  INDEX_DIR: { parser: anyText, fallback: ".index", meaning: "the folder of index generations (memory backend)" },
  ADMIN_DB: { parser: anyText, fallback: ".admin/admin.sqlite", meaning: "the back office's accounts, sessions, sign-in attempts, audit log, corrections and withdrawals, index runs and search counts (a SQLite file)" },
  UPLOAD_MAX_MB: { parser: whole(1, 1024, "megabytes"), fallback: "100", meaning: "the largest file the back office takes; uploads are kept in CONTENT_DIR/uploads" },
  IMPORT_PRIVATE_ADDRESSES: { parser: oneOf("refuse", "loopback", "allow"), fallback: "refuse", meaning: "imports started in the back office: `refuse` fetches only public addresses (no loopback, private or link-local: no server-side request forgery), `loopback` also this machine, `allow` anything" },
  ANALYTICS: { parser: oneOf("1", "0"), fallback: "1", meaning: "`1`: count searches per normalised query and day, no-result searches and opened positions (nothing about who); `0`: count nothing" },
  OCR_CACHE_DIR: { parser: anyText, fallback: ".cache/ocr", meaning: "where text recognised from scans is kept, by the file's content hash (an unchanged scan is never read twice)" },
  OCR_LANGUAGES: { parser: matching(/^[a-z_]+(\+[a-z_]+)*$/u, "must be Tesseract language names joined by +"), fallback: "chi_sim+chi_tra", meaning: "the Tesseract models scans are read with, each on its own (the reading it is most confident of is kept)" },
  SEARCH_BACKEND: { parser: oneOf("memory", "postgres"), fallback: "memory", meaning: "where generations are kept: a folder (`memory`) or PostgreSQL (`postgres`)" },
  DATABASE_URL: { parser: postgresUrl, fallback: null, meaning: "the PostgreSQL primary; required with `SEARCH_BACKEND=postgres`" },
  DATABASE_READ_URL: { parser: postgresUrl, fallback: null, meaning: "where app servers read generations (a hot standby); default `DATABASE_URL`" },
  DATABASE_SHARD_URLS: {
    parser: postgresUrls,
    fallback: null,
    meaning: "the servers a generation's per-article rows (n-gram rows, texts, stored articles) are partitioned across, by ranges of documents, in order (`DATABASE_URL` may be one of them); unset: all on `DATABASE_URL`. Index runs and app servers must list the same servers in the same order",
  },
  POSTGRES_LEAN: { parser: oneOf("1", "0"), fallback: "1", meaning: "`1`: app servers load PostgreSQL generations lean (rows read per query); `0`: whole" },
  LEAN_CACHE_MB: { parser: whole(0, undefined, "megabytes"), fallback: "32", meaning: "megabytes of a lean server's caches (n-gram rows, word lists, counts, texts, articles)" },
  RESULT_CACHE_ENTRIES: { parser: whole(0), fallback: "1000", meaning: "results pages each server keeps per generation; `0` turns it off" },
  PAGE_CACHE_MB: { parser: whole(0, undefined, "megabytes"), fallback: "32", meaning: "megabytes of rendered pages each cluster worker keeps; `0` turns it off" },
  INDEX_FOLLOW: { parser: oneOf("watch", "signal"), fallback: "watch", meaning: "`watch`: servers swap to a new generation when it is published; `signal`: on `SIGHUP` only" },
  INDEX_POLL_MS: { parser: whole(100, undefined, "milliseconds"), fallback: "2000", meaning: "how often servers check for a new generation besides watching" },
  INDEX_WATCH_DEBOUNCE_MS: { parser: whole(0, undefined, "milliseconds"), fallback: "100", meaning: "`npm run index -- --watch` re-indexes this long after the last change" },
  INDEX_HEAP_MB: { parser: whole(512, undefined, "megabytes"), fallback: null, meaning: "heap limit of `npm run index`; default three quarters of the machine's memory" },
  HOST: { parser: matching(/^[^\s/]+$/u, "must be a host name or address"), fallback: "127.0.0.1", meaning: "the address `npm start` listens on" },
  PORT: { parser: whole(0, 65535), fallback: "3000", meaning: "the port `npm start` listens on" },
  WEB_CONCURRENCY: { parser: whole(1, 256), fallback: null, meaning: "server processes `npm start` runs; default one per core" },
  SITE_URL: { parser: httpUrl, fallback: null, meaning: "the site's public address for absolute links (feeds, OpenSearch); set it behind a proxy" },
  NEXT_OUTPUT: { parser: oneOf("standalone"), fallback: null, meaning: "`standalone`: `next build` writes a self-contained server (the container image)" },
  GLIBC_TUNABLES: { parser: anyText, fallback: null, meaning: "glibc's malloc settings; when unset, server processes get them by backend (server/glibc-tunables.cjs)" },
};

class ConfigError extends Error {}

/** One variable of `env` parsed (its default when unset or empty; null when it has none); a ConfigError names it. */
function variable(env, name) {
  const spec = ENVIRONMENT[name];
  const given = env[name];
  const text = given === undefined || given === "" ? spec.fallback : given;
  if (text === null) return null;
  const value = spec.parser.parse(text);
  if (value === undefined) throw new ConfigError(`config: ${name} ${spec.parser.must}, not ${JSON.stringify(given)}`);
  return value;
}

/** The configuration from an environment: every variable parsed, defaults applied; a ConfigError names every bad one. */
function loadConfig(env = process.env) {
  const raw = {};
  const problems = [];
  for (const name of Object.keys(ENVIRONMENT)) {
    try {
      raw[name] = variable(env, name);
    } catch (e) {
      problems.push(e.message.replace(/^config: /u, ""));
    }
  }
  if (raw.SEARCH_BACKEND === "postgres" && !raw.DATABASE_URL) problems.push("DATABASE_URL is required with SEARCH_BACKEND=postgres (e.g. postgres://user@127.0.0.1:5432/db)");
  if (raw.DATABASE_SHARD_URLS && raw.SEARCH_BACKEND !== "postgres") problems.push("DATABASE_SHARD_URLS needs SEARCH_BACKEND=postgres");
  if (problems.length) throw new ConfigError(`config: ${problems.join("; ")}`);
  return Object.freeze({
    contentDir: path.resolve(/*turbopackIgnore: true*/ raw.CONTENT_DIR),
    indexDir: path.resolve(/*turbopackIgnore: true*/ raw.INDEX_DIR),
    ocrCacheDir: path.resolve(/*turbopackIgnore: true*/ raw.OCR_CACHE_DIR),
    adminDb: path.resolve(/*turbopackIgnore: true*/ raw.ADMIN_DB),
    uploadMaxBytes: raw.UPLOAD_MAX_MB * 1024 * 1024,
    analytics: raw.ANALYTICS === "1",
    importAddresses: raw.IMPORT_PRIVATE_ADDRESSES,
    ocrLanguages: raw.OCR_LANGUAGES,
    backend: raw.SEARCH_BACKEND,
    databaseUrl: raw.DATABASE_URL,
    databaseReadUrl: raw.DATABASE_READ_URL ?? raw.DATABASE_URL,
    databaseShardUrls: raw.DATABASE_SHARD_URLS ?? [],
    postgresLean: raw.POSTGRES_LEAN === "1",
    leanCacheMB: raw.LEAN_CACHE_MB,
    resultCacheEntries: raw.RESULT_CACHE_ENTRIES,
    pageCacheBytes: raw.PAGE_CACHE_MB * 1024 * 1024,
    followBy: raw.INDEX_FOLLOW,
    pollMs: raw.INDEX_POLL_MS,
    watchDebounceMs: raw.INDEX_WATCH_DEBOUNCE_MS,
    indexHeapMB: raw.INDEX_HEAP_MB,
    host: raw.HOST,
    port: raw.PORT,
    webConcurrency: raw.WEB_CONCURRENCY ?? os.availableParallelism(),
    siteUrl: raw.SITE_URL,
    glibcTunables: env.GLIBC_TUNABLES,
  });
}

let cached = null;
let cachedFrom = null;

/** What the variables say in this process's environment now (parsed again only when one of them changed: tests set them). */
function config() {
  const from = Object.keys(ENVIRONMENT)
    .map((name) => process.env[name] ?? "\u0000")
    .join("\u0001");
  if (from !== cachedFrom) {
    cached = loadConfig(process.env);
    cachedFrom = from;
  }
  return cached;
}

module.exports = { ENVIRONMENT, ConfigError, variable, loadConfig, config };
