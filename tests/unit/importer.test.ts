// The importer against a fixture site on a local HTTP server: GBK and Big5
// pages, redirects (and a loop), 404/500/429, a slow page, robots.txt, a
// sitemap index with a gzipped sitemap, an RSS feed, a 50 MB page, ETags; the
// pages it keeps are then read by ingest like any other.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { promises as fs } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/content/ingest";
import { retryAfterMs } from "@/lib/content/importer/fetcher";
import { describeImport, importedPath, runImport, type ImportSummary } from "@/lib/content/importer/importer";

interface Hit {
  path: string;
  at: number;
  agent: string;
  ifNoneMatch?: string;
}

let server: Server;
let base: string;
let dir: string;
const hits: Hit[] = [];
let busyServed = 0;

const page = (title: string, body: string, extraHead = "") => `<!doctype html><html><head>${extraHead}<title>${title}</title></head><body><h1>${title}</h1><div class="content"><p>${body}</p></div></body></html>`;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, base);
  hits.push({ path: url.pathname, at: Date.now(), agent: String(req.headers["user-agent"] ?? ""), ifNoneMatch: req.headers["if-none-match"] as string | undefined });
  const send = (status: number, body: string | Buffer, type = "text/html; charset=utf-8", headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": type, ...headers });
    res.end(body);
  };
  switch (url.pathname) {
    case "/robots.txt":
      return send(200, "User-agent: *\nDisallow: /private/\n", "text/plain");
    case "/gbk.html":
      return send(200, iconv.encode(page("基层党建工作简报", "本期介绍各支部开展主题党日活动的做法和经验。", '<meta charset="gbk">'), "gbk"), "text/html");
    case "/gbk-header.html":
      return send(200, iconv.encode(page("党员发展工作流程", "入党申请人经过培养考察，列为入党积极分子。"), "gbk"), "text/html; charset=GBK");
    case "/big5.html":
      return send(200, iconv.encode(page("黨支部標準化建設", "各黨支部要嚴格落實三會一課制度。"), "big5"), "text/html; charset=big5");
    case "/old-address":
      return send(301, "", "text/plain", { Location: "/moved" });
    case "/moved":
      return send(302, "", "text/plain", { Location: "/final.html" });
    case "/final.html":
      return send(200, page("搬迁后的文章", "这篇文章经过两次跳转才到达。"));
    case "/loop":
      return send(302, "", "text/plain", { Location: "/loop" });
    case "/broken":
      return send(500, "oops");
    case "/busy":
      busyServed++;
      return busyServed === 1 ? send(429, "slow down", "text/plain", { "Retry-After": "1" }) : send(200, page("限流之后", "第二次请求成功。"));
    case "/slow":
      setTimeout(() => send(200, page("太慢", "超时")), 3000).unref();
      return;
    case "/huge.html": {
      // 50 MB without a Content-Length: only counting the body can stop it.
      res.writeHead(200, { "Content-Type": "text/html" });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const more = () => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      res.on("error", () => {});
      return more();
    }
    case "/etag.html":
      if (req.headers["if-none-match"] === '"v1"') return send(304, "");
      return send(200, page("带有ETag的页面", "第二次导入时不会重新下载。"), "text/html; charset=utf-8", { ETag: '"v1"' });
    case "/dated.html":
      if (req.headers["if-modified-since"] === "Tue, 05 Mar 2024 08:00:00 GMT") return send(304, "");
      return send(200, page("带有修改时间的页面", "按最后修改时间判断是否变化。"), "text/html; charset=utf-8", { "Last-Modified": "Tue, 05 Mar 2024 08:00:00 GMT" });
    case "/sitemap_index.xml":
      return send(200, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap-a.xml</loc></sitemap><sitemap><loc>${base}/sitemap-b.xml.gz</loc></sitemap></sitemapindex>`, "application/xml");
    case "/sitemap-a.xml":
      return send(200, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/gbk.html</loc></url><url><loc>${base}/big5.html</loc></url><url><loc>${base}/private/secret.html</loc></url></urlset>`, "application/xml");
    case "/sitemap-b.xml.gz":
      return send(200, gzipSync(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/etag.html</loc></url></urlset>`), "application/gzip");
    case "/feed.xml":
      return send(200, `<?xml version="1.0"?><rss version="2.0"><channel><title>简报</title><link>${base}/</link><description>d</description><item><title>一</title><link>${base}/rss-1.html</link></item><item><title>二</title><link>/rss-2.html</link></item></channel></rss>`, "application/rss+xml");
    case "/rss-1.html":
      return send(200, page("订阅第一篇", "第一篇的正文。"));
    case "/rss-2.html":
      return send(200, page("订阅第二篇", "第二篇的正文。"));
    case "/start.html":
      return send(200, page("栏目首页", `<a href="/deep/a.html">甲</a> <a href="/private/x.html">内部</a> <a href="https://elsewhere.invalid/x">外站</a>`));
    case "/deep/a.html":
      return send(200, page("第一层", `<a href="/deep/b.html">乙</a>`));
    case "/deep/b.html":
      return send(200, page("第二层", `<a href="/deep/c.html">丙</a>`));
    default:
      return send(404, "not found", "text/plain");
  }
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "importer-test-"));
  server = createServer(route);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await fs.rm(dir, { recursive: true, force: true });
});

/** When the importer sent each request (its own clock: the server's would add arrival jitter). */
const sent: number[] = [];
const FAST = { delayMs: 50, backoffMs: 100, timeoutMs: 1000, onRequest: (_url: string, at: number) => void sent.push(at) };

describe("the importer", () => {
  let first: ImportSummary;

  it("fetches pages, sitemaps (an index, a gzipped sitemap) and feeds, honouring robots.txt, and says what became of each", async () => {
    const list = path.join(dir, "urls.txt");
    await fs.writeFile(list, [`# pages to fetch`, `${base}/gbk-header.html`, `${base}/dated.html`, `${base}/old-address`, `${base}/loop`, `${base}/missing`, `${base}/broken`, `${base}/busy`, `${base}/slow`, `${base}/huge.html`, ""].join("\n"));
    first = await runImport([`${base}/sitemap_index.xml`, `${base}/feed.xml`, list], { contentDir: path.join(dir, "content"), limits: FAST });
    expect(first.fetched.map((u) => u.slice(base.length)).sort()).toEqual(["/big5.html", "/busy", "/dated.html", "/etag.html", "/gbk-header.html", "/gbk.html", "/old-address", "/rss-1.html", "/rss-2.html"]);
    expect(first.disallowed).toEqual([{ url: `${base}/private/secret.html`, reason: "robots.txt of " + base.slice(7) + " disallows /private/secret.html" }]);
    const failed = Object.fromEntries(first.failed.map((f) => [f.url.slice(base.length), f.reason]));
    expect(failed).toEqual({
      "/loop": "more than 5 redirects",
      "/missing": "HTTP 404",
      "/broken": "HTTP 500 (after 3 attempts)",
      "/slow": "timed out after 1 s (after 3 attempts)",
      "/huge.html": "page is over the 20 MB limit",
    });
    expect(hits.some((h) => h.path.startsWith("/private/"))).toBe(false);
    expect(describeImport(first)).toMatch(/^import: 9 fetched, 0 unchanged, 1 disallowed by robots\.txt, 5 failed\n/u);
  });

  it("names itself, and keeps its pace per host", () => {
    expect(new Set(hits.map((h) => h.agent))).toEqual(new Set([expect.stringMatching(/^dangjian-search-importer\/\S+ \(\+https?:\/\/\S+; /u)]));
    // Every request the first run sent (one host) started at least the delay after the one before.
    const gaps = sent.slice(1).map((t, i) => t - sent[i]);
    expect(sent.length).toBe(hits.length);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FAST.delayMs);
  });

  it("waits as long as a 429's Retry-After says before trying again", () => {
    const busy = hits.filter((h) => h.path === "/busy").map((h) => h.at);
    expect(busy).toHaveLength(2);
    expect(busy[1] - busy[0]).toBeGreaterThanOrEqual(950);
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
  });

  it("keeps pages as fetched, under the URL asked for, and ingest reads GBK and Big5 right with their addresses", async () => {
    const content = path.join(dir, "content");
    expect(first.files.sort()).toContain(importedPath(`${base}/old-address`, "text/html"));
    const result = await ingest([content]);
    expect(result.errors).toEqual([]);
    const byUrl = new Map(result.articles.map((a) => [a.url, a]));
    expect(byUrl.get(`${base}/gbk.html`)?.title).toBe("基层党建工作简报");
    expect(byUrl.get(`${base}/gbk-header.html`)?.paragraphs).toEqual(["入党申请人经过培养考察，列为入党积极分子。"]);
    expect(byUrl.get(`${base}/big5.html`)?.title).toBe("黨支部標準化建設");
    expect(byUrl.get(`${base}/old-address`)?.title).toBe("搬迁后的文章");
    // The records beside the pages are hidden files: not read as articles.
    expect(result.ignored).toEqual([]);
  });

  it("asks again with the page's validators and leaves an unchanged page alone", async () => {
    const file = path.join(dir, "content", importedPath(`${base}/etag.html`, "text/html"));
    const before = (await fs.stat(file)).mtimeMs;
    const again = await runImport([`${base}/etag.html`, `${base}/dated.html`, `${base}/rss-1.html`], { contentDir: path.join(dir, "content"), limits: FAST });
    // 304 for the ETag and for Last-Modified; the page without validators came back byte for byte the same.
    expect(again.unchanged.sort()).toEqual([`${base}/dated.html`, `${base}/etag.html`, `${base}/rss-1.html`]);
    expect(hits.filter((h) => h.path === "/dated.html")).toHaveLength(2);
    expect(again.fetched).toEqual([]);
    expect(hits.filter((h) => h.path === "/etag.html").at(-1)?.ifNoneMatch).toBe('"v1"');
    expect((await fs.stat(file)).mtimeMs).toBe(before);
  });

  it("follows links matching --follow to --depth, never past robots.txt or the pattern", async () => {
    const r = await runImport([`${base}/start.html`], { contentDir: path.join(dir, "crawl"), follow: `^${base.replace(/\./gu, "\\.")}/(?:deep|private)/`, depth: 2, limits: FAST });
    expect(r.fetched.map((u) => u.slice(base.length)).sort()).toEqual(["/deep/a.html", "/deep/b.html", "/start.html"]);
    expect(r.disallowed.map((d) => d.url.slice(base.length))).toEqual(["/private/x.html"]);
    expect(hits.some((h) => h.path === "/deep/c.html")).toBe(false);
  });

  it("names kept pages by their URL: folders as index, queries hashed, the type's extension", () => {
    expect(importedPath("http://example.org/news/", "text/html")).toBe("imported/example.org/news/index.html");
    expect(importedPath("http://example.org/a/b.shtml", "text/html; charset=gbk")).toBe("imported/example.org/a/b.shtml");
    expect(importedPath("http://example.org/view?id=3", "text/html")).toMatch(/^imported\/example\.org\/view__[0-9a-f]{10}\.html$/u);
    expect(importedPath("http://example.org/files/%E9%80%9A%E7%9F%A5.pdf", "application/pdf")).toBe("imported/example.org/files/通知.pdf");
    expect(importedPath("http://example.org/../../etc/passwd", "text/plain")).toBe("imported/example.org/etc/passwd.txt");
  });
});
