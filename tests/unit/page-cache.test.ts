// The cluster workers' kept pages (server/page-cache.cjs): which requests may
// be kept, the byte budget, and holding a response back while it renders.
import { createRequire } from "node:module";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { PageCache, pageCacheBytes, holdBack, pageOf, sendPage, sendAsIs } = require("../../server/page-cache.cjs");

const request = (url: string, headers: Record<string, string> = {}, method = "GET") => ({ url, method, headers });
const page = (bytes: number) => ({ status: 200, headers: {}, parts: ["a", "b"], bytes });

describe("kept pages", () => {
  it("keeps only plain GETs of the search and reading pages, never the router's payloads or bots", () => {
    const cache = new PageCache(1 << 20);
    expect(cache.keyOf(request("/?q=党建"), "g1")).toMatch(/^\d{4}-\d\d-\d\d \/\?q=党建$/u);
    expect(cache.keyOf(request("/"), "g1")).not.toBeNull();
    expect(cache.keyOf(request("/articles/a-1?q=x"), "g1")).not.toBeNull();
    for (const [req, why] of [
      [request("/api/search?q=x"), "not a page"],
      [request("/feed.xml"), "not a page"],
      [request("/_next/static/chunks/a.js"), "not a page"],
      [request("/?q=x", {}, "HEAD"), "not a GET"],
      [request("/?q=x", { rsc: "1" }), "an RSC payload"],
      [request("/articles/a?q=x", { "next-router-prefetch": "1" }), "a prefetch"],
      [request("/?q=x&_rsc=abc"), "an RSC payload by its query"],
      [request("/articles/a?q=x&_rsc"), "an RSC payload by its query"],
      [request("/?q=x", { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" }), "a bot"],
    ] as const) {
      expect(cache.keyOf(req, "g1"), why).toBeNull();
    }
    // Nothing before a generation is live, nothing with the budget at 0.
    expect(cache.keyOf(request("/?q=x"), null)).toBeNull();
    expect(new PageCache(0).keyOf(request("/?q=x"), "g1")).toBeNull();
  });

  it("drops every page when the generation changes, and the least recently sent when over budget", () => {
    const cache = new PageCache(8000);
    const k = (u: string, g = "g1") => cache.keyOf(request(u), g);
    for (let n = 1; n <= 8; n++) cache.set(k(`/?q=${n}`), page(1000));
    expect(cache.bytes).toBe(8000);
    expect(cache.get(k("/?q=1"))).toBeDefined(); // now the most recently sent
    cache.set(k("/?q=9"), page(1000)); // 9000 > 8000: the least recently sent (2) goes
    expect([1, 2, 3, 9].map((n) => cache.get(k(`/?q=${n}`)) !== undefined)).toEqual([true, false, true, true]);
    expect(cache.bytes).toBe(8000);
    // A page over an eighth of the budget is not kept.
    cache.set(k("/?q=big"), page(1001));
    expect(cache.get(k("/?q=big"))).toBeUndefined();
    expect(cache.bytes).toBe(8000);
    // A page rendered while the generation changed, or rendered for yesterday, is not kept.
    expect(cache.stillCurrent(k("/?q=1"), "g1", "g1")).toBe(true);
    expect(cache.stillCurrent(k("/?q=1"), "g1", "g2")).toBe(false);
    expect(cache.stillCurrent(`2000-01-01 /?q=1`, "g1", "g1")).toBe(false);
    // Another generation: nothing of the old one is sent.
    expect(cache.get(k("/?q=1", "g2"))).toBeUndefined();
    expect(cache.pages.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("reads PAGE_CACHE_MB, refusing what is not a whole number of megabytes", () => {
    expect(pageCacheBytes(undefined)).toBe(32 << 20);
    expect(pageCacheBytes("0")).toBe(0);
    expect(pageCacheBytes("8")).toBe(8 << 20);
    expect(() => pageCacheBytes("1.5")).toThrow(/PAGE_CACHE_MB must be a whole number of megabytes ≥ 0, not "1\.5"/u);
    expect(() => pageCacheBytes("-1")).toThrow(/PAGE_CACHE_MB/u);
  });
});

/** A real server whose handler writes a page the way Next.js does (headers, flushHeaders, chunks, end), held back and then sent by `send`. */
async function serve(render: (res: http.ServerResponse) => void, send: (res: http.ServerResponse, body: Buffer, gzip: boolean) => void) {
  const server = http.createServer((req, res) => {
    const gzip = /gzip/u.test(req.headers["accept-encoding"] ?? "");
    holdBack(res, (body: Buffer) => send(res, body, gzip));
    render(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(base, { agent: false, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on("error", reject);
    });
  return { get, close: () => new Promise((r) => server.close(r)) };
}

describe("holding a rendered page back", () => {
  const NONCE = "Tk9OQ0UtMQ==";
  const html = `<!DOCTYPE html><script nonce="${NONCE}">1</script>${"党建".repeat(400)}<script nonce="${NONCE}">self.__next_f.push({"nonce":"${NONCE}"})</script>`;
  const render = (res: http.ServerResponse) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.setHeader("Vary", "rsc, Accept-Encoding");
    res.statusCode = 200;
    res.flushHeaders();
    const bytes = Buffer.from(html);
    res.write(bytes.subarray(0, 1000));
    res.write(new Uint8Array(bytes.subarray(1000, 1500)));
    res.end(bytes.subarray(1500));
  };

  it("collects what is written without sending it, and sends the page again under a new nonce, compressed when asked", async () => {
    let kept: ReturnType<typeof pageOf> = null;
    let sends = 0;
    const s = await serve(render, (res, body, gzip) => {
      kept ??= pageOf(res, body, NONCE);
      const first = sends++ === 0;
      sendPage(res, kept, first ? NONCE : "RlJFU0gtMg==", "script-src 'nonce-X'", gzip, first ? "miss" : "hit");
    });
    try {
      const first = await s.get();
      expect(first.status).toBe(200);
      expect(first.body.toString("utf8")).toBe(html);
      expect(first.headers["content-length"]).toBe(String(Buffer.byteLength(html)));
      expect(first.headers.vary).toBe("rsc, Accept-Encoding");
      expect(first.headers["content-security-policy"]).toBe("script-src 'nonce-X'");
      expect(first.headers["x-page-cache"]).toBe("miss");
      const again = await s.get({ "accept-encoding": "gzip, deflate" });
      expect(again.headers["content-encoding"]).toBe("gzip");
      expect(again.headers["x-page-cache"]).toBe("hit");
      const text = zlib.gunzipSync(again.body).toString("utf8");
      expect(text).not.toContain(NONCE);
      expect(text).toBe(html.replaceAll(NONCE, "RlJFU0gtMg=="));
    } finally {
      await s.close();
    }
  });

  it("does not keep an error, a page without its nonce, or one that sets a cookie; those are sent as written", async () => {
    const cases: Array<[string, (res: http.ServerResponse) => void]> = [
      ["a 500", (res) => ((res.statusCode = 500), res.setHeader("Content-Type", "text/html"), res.end(html))],
      ["no nonce", (res) => (res.setHeader("Content-Type", "text/html"), res.end("<p>plain</p>"))],
      ["a cookie", (res) => (res.setHeader("Content-Type", "text/html"), res.setHeader("Set-Cookie", "a=1"), res.end(html))],
      ["not HTML", (res) => (res.setHeader("Content-Type", "text/x-component"), res.end(html))],
    ];
    for (const [why, write] of cases) {
      let kept: unknown = "unset";
      const s = await serve(write, (res, body, gzip) => {
        kept = pageOf(res, body, NONCE);
        sendAsIs(res, body, gzip);
      });
      try {
        const got = await s.get({ "accept-encoding": "gzip" });
        expect(kept, why).toBeNull();
        const body = got.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(got.body) : got.body;
        expect([got.status, body.toString("utf8")], why).toEqual([why === "a 500" ? 500 : 200, why === "no nonce" ? "<p>plain</p>" : html]);
      } finally {
        await s.close();
      }
    }
  });
});
