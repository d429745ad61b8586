// Rendered pages kept by each cluster worker (server/cluster.cjs), so that a
// page asked for again is not rendered again. A page of this site is a pure
// function of its URL, the live index generation and the day (the search
// page's date presets): the reading page and the results page read nothing
// else (no cookies, no per-user state). What differs between two renders of
// the same URL is the Content-Security-Policy nonce, which must stay fresh per
// response: a kept page is stored split at its nonce and joined with a new one
// each time it is sent, with the policy header naming that new nonce, so every
// response carries a nonce no earlier response had, as a fresh render would.
//
// Kept: GET of the search page (/, /?…) and reading pages (/articles/…), status
// 200, HTML, no Set-Cookie, the nonce present in the body, the same generation
// and day when the render ends as when it began. Never kept: the router's own
// requests (RSC payloads for client navigation and prefetches carry the
// router's headers), bots (Next.js renders metadata differently for them),
// anything else. A new generation drops every kept page of the old one.
// PAGE_CACHE_MB (default 32 per worker; 0 turns it off) bounds the bytes kept;
// the least recently sent pages go first, and a page over an eighth of the
// budget is never kept. A page that may be kept says X-Page-Cache: hit (sent
// from what was kept) or miss (just rendered).
"use strict";
const zlib = require("node:zlib");
const { isBot } = require("next/dist/shared/lib/router/utils/is-bot");
const { variable } = require("../lib/config/env.cjs");

/** Request headers with which Next.js answers with something other than the page's HTML document. */
const ROUTER_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-url", "next-action"];

/** Response headers that belong to one response, not to the page. */
const OWN_HEADERS = new Set(["content-length", "transfer-encoding", "date", "connection", "keep-alive", "content-encoding", "content-security-policy"]);

/** PAGE_CACHE_MB as bytes: a whole number of megabytes ≥ 0 (default 32; lib/config/env.cjs parses it). */
function pageCacheBytes(raw) {
  return variable({ PAGE_CACHE_MB: raw }, "PAGE_CACHE_MB") * 1024 * 1024;
}

/** The day (UTC) a page is rendered for: the search page's date presets change with it. */
function today() {
  return new Date().toISOString().slice(0, 10);
}

class PageCache {
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    /** key → { status, headers, parts: string[] (the body split at its nonce), bytes } in least-recently-sent order. */
    this.pages = new Map();
    this.bytes = 0;
    this.generation = null;
  }

  /**
   * The key under which a request's page may be kept, or null when it must be
   * rendered and not kept. A generation other than the last one seen drops every kept page first.
   */
  keyOf(req, generation) {
    if (this.maxBytes === 0 || !generation || req.method !== "GET") return null;
    const url = req.url;
    if (!(url === "/" || url.startsWith("/?") || url.startsWith("/articles/"))) return null;
    if (/[?&]_rsc(?:[=&]|$)/.test(url)) return null;
    // A document's original is a download, not a page (and may be large): never held back or kept.
    if (/^\/articles\/[^/?]+\/original(?:[/?]|$)/.test(url)) return null;
    for (const h of ROUTER_HEADERS) if (req.headers[h] !== undefined) return null;
    if (isBot(req.headers["user-agent"] || "")) return null;
    if (generation !== this.generation) {
      this.pages.clear();
      this.bytes = 0;
      this.generation = generation;
    }
    return `${today()} ${url}`;
  }

  /** Whether a page rendered for `key` under `generation` may be kept now: the same generation is live and the day has not turned. */
  stillCurrent(key, generation, live) {
    return generation === live && generation === this.generation && key.startsWith(`${today()} `);
  }

  get(key) {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key, page) {
    if (page.bytes > this.maxBytes / 8) return;
    const old = this.pages.get(key);
    if (old) {
      this.pages.delete(key);
      this.bytes -= old.bytes;
    }
    this.pages.set(key, page);
    this.bytes += page.bytes;
    for (const [k, p] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(k);
      this.bytes -= p.bytes;
    }
  }
}

/**
 * Holds `res` back while Next.js writes to it: status, headers and body are
 * collected, nothing is sent, and `done(body)` is called at the end with the
 * response's methods restored (the caller sends). Next.js waits for the
 * response's "finish" before it lets go of the request, which the caller's
 * send then emits.
 */
function holdBack(res, done) {
  const chunks = [];
  const take = (chunk, encoding) => {
    if (chunk === undefined || chunk === null) return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  };
  res.flushHeaders = () => {};
  res.writeHead = (status, reason, headers) => {
    res.statusCode = status;
    const given = typeof reason === "string" ? headers : reason;
    if (Array.isArray(given)) for (let i = 0; i < given.length; i += 2) res.setHeader(given[i], given[i + 1]);
    else if (given) for (const [k, v] of Object.entries(given)) res.setHeader(k, v);
    return res;
  };
  res.write = (chunk, encoding, callback) => {
    take(chunk, encoding);
    const cb = typeof encoding === "function" ? encoding : callback;
    if (typeof cb === "function") process.nextTick(cb);
    return true;
  };
  res.end = (chunk, encoding, callback) => {
    if (typeof chunk === "function") [chunk, callback] = [undefined, chunk];
    else if (typeof encoding === "function") [encoding, callback] = [undefined, encoding];
    take(chunk, encoding);
    for (const m of ["flushHeaders", "writeHead", "write", "end"]) delete res[m];
    if (typeof callback === "function") res.once("finish", callback);
    done(Buffer.concat(chunks));
    return res;
  };
}

/** A held-back response as a page to keep: null unless it is a 200 HTML page without cookies whose body carries `nonce`. */
function pageOf(res, body, nonce) {
  if (res.statusCode !== 200 || res.getHeader("set-cookie") !== undefined) return null;
  if (!/^text\/html\b/.test(String(res.getHeader("content-type") || ""))) return null;
  const text = body.toString("utf8");
  const parts = text.split(nonce);
  if (parts.length < 2) return null;
  const headers = {};
  for (const [k, v] of Object.entries(res.getHeaders())) if (!OWN_HEADERS.has(k)) headers[k] = v;
  return { status: 200, headers, parts, bytes: body.length };
}

/** Whether the client takes gzip-compressed bodies. */
function takesGzip(req) {
  return /\bgzip\b/.test(req.headers["accept-encoding"] || "");
}

/** `body` gzip-compressed when `gzip` and it is worth it (over 1 KB, as Next.js does), with the encoding to name; else as it is. */
function encoded(body, gzip) {
  return gzip && body.length > 1024 ? { body: zlib.gzipSync(body), encoding: "gzip" } : { body, encoding: undefined };
}

/**
 * Sends a page with `nonce` in every place its render had one, under `policy`;
 * gzip-compressed when `gzip` (the client takes it, as Next.js does).
 * X-Page-Cache says whether it was kept from before ("hit") or just rendered ("miss").
 */
function sendPage(res, page, nonce, policy, gzip, state) {
  const { body, encoding } = encoded(Buffer.from(page.parts.join(nonce)), gzip);
  const headers = { ...page.headers, "content-security-policy": policy, "x-page-cache": state };
  if (encoding) headers["content-encoding"] = encoding;
  headers["content-length"] = body.length;
  for (const k of res.getHeaderNames()) res.removeHeader(k);
  res.writeHead(page.status, headers);
  res.end(body);
}

/** Sends a held-back response that is not kept as it was written (the status, headers and body Next.js gave it). */
function sendAsIs(res, body, gzip) {
  const compressible = res.getHeader("content-encoding") === undefined && /^(text\/|application\/(json|javascript|xml))/.test(String(res.getHeader("content-type") || ""));
  const { body: out, encoding } = encoded(body, gzip && compressible);
  if (encoding) res.setHeader("content-encoding", encoding);
  res.removeHeader("transfer-encoding");
  res.setHeader("content-length", out.length);
  res.end(out);
}

module.exports = { PageCache, pageCacheBytes, holdBack, pageOf, sendPage, sendAsIs, takesGzip, encoded };
