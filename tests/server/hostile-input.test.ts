// Hostile input against the production server: generated queries and
// parameter sets (fast-check) never give a 5xx and always give a body of the
// documented shape; ids cannot reach the file system; every response carries
// the security headers; the feed and the OpenSearch description are what real
// parsers accept.
import { parseFeed } from "@rowanmanning/feed-parser";
import * as cheerio from "cheerio";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, within, type Library } from "../../testkit/library";
import { articleViewSchema, errorSchema, searchResponseSchema, suggestResponseSchema, trendsResponseSchema } from "../helpers/api-shapes";
import { paramSet } from "../helpers/hostile-queries";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";

let lib: Library;
let server: RunningServer;
const QUERIES = Number(process.env.FUZZ_QUERIES || 10_000);

beforeAll(async () => {
  lib = await makeLibrary("hostile");
  server = await startProductionServer(lib.index, { cluster: true });
});

afterAll(async () => {
  server?.stop();
  await lib?.cleanup();
});

/** Runs `requests` with a few at a time; returns what did not hold. */
async function fire(urls: string[], check: (url: string, status: number, body: string, type: string) => string | null, concurrency = 8): Promise<{ problems: string[]; slowest: number }> {
  const problems: string[] = [];
  let next = 0;
  let slowest = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++];
        const started = performance.now();
        const r = await fetch(server.base + url);
        const body = await r.text();
        slowest = Math.max(slowest, performance.now() - started);
        const problem = check(url, r.status, body, r.headers.get("content-type") ?? "");
        if (problem) problems.push(`${url}: ${problem}`);
      }
    }),
  );
  return { problems, slowest };
}

describe("the search API under generated hostile queries", () => {
  it(`answers ${QUERIES} generated queries and parameter sets with no 5xx, each body of the documented shape`, async () => {
    const urls = fc.sample(paramSet, { numRuns: QUERIES, seed: 20261129 }).map((qs) => `/api/search?${qs}`);
    let ok = 0;
    let rejected = 0;
    const { problems, slowest } = await fire(urls, (_url, status, body) => {
      if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return `not JSON: ${body.slice(0, 100)}`;
      }
      const schema = status === 200 ? searchResponseSchema : errorSchema;
      const parsed = schema.safeParse(json);
      if (!parsed.success) return `status ${status}, body not of the documented shape: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`;
      if (status === 200) ok++;
      else if (status === 400) rejected++;
      else return `unexpected status ${status}`;
      return null;
    });
    console.log(`query fuzzer: ${urls.length} requests, ${ok} answered, ${rejected} rejected with 400 naming a parameter, 0 allowed 5xx; slowest round trip ${slowest.toFixed(0)} ms`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(ok).toBeGreaterThan(QUERIES / 4);
    expect(rejected).toBeGreaterThan(QUERIES / 20);
  }, 600_000);

  it("answers generated suggestion requests (any string, pinyin, half-typed input) with no 5xx, each of the documented shape", async () => {
    const qs = fc.sample(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 300 }), fc.stringMatching(/^[a-z ]{0,30}$/u)), { numRuns: 2000, seed: 11 });
    const urls = qs.map((q) => `/api/suggest?q=${encodeURIComponent(q)}`);
    let answered = 0;
    const { problems } = await fire(urls, (_url, status, body) => {
      if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
      const parsed = (status === 200 ? suggestResponseSchema : errorSchema).safeParse(JSON.parse(body));
      if (!parsed.success) return `status ${status}, body not of the documented shape: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`;
      if (status === 200) answered++;
      else if (status !== 400) return `unexpected status ${status}`;
      return null;
    });
    expect(problems.slice(0, 20)).toEqual([]);
    expect(answered).toBeGreaterThan(1500);
    const r = await fetch(`${server.base}/api/suggest?q=dangjian`);
    expect(suggestResponseSchema.parse(await r.json()).suggestions[0]).toMatchObject({ text: "党建", kind: "pinyin" });
  }, 300_000);

  it("serves the search page, the reading page and the feed for generated queries without a 5xx", async () => {
    const qs = fc.sample(paramSet, { numRuns: 600, seed: 7 });
    const urls = qs.flatMap((q, i) => [`/?${q}`, `/feed.xml?${q}`, ...(i % 3 === 0 ? [`/articles/2019-theme-education-launch?${q}`] : [])]);
    const { problems } = await fire(urls, (url, status, body, type) => {
      if (status >= 500) return `status ${status}`;
      if (url.startsWith("/feed.xml") && status === 200 && XMLValidator.validate(body) !== true) return `feed not well-formed XML: ${JSON.stringify(XMLValidator.validate(body))}`;
      if (url.startsWith("/feed.xml") && status !== 200 && !type.includes("json")) return `feed error not JSON`;
      return null;
    }, 4);
    expect(problems.slice(0, 20)).toEqual([]);
  }, 600_000);
});

describe("the workbench under generated hostile parameters", () => {
  it("answers /api/trends (several q, by, format) with no 5xx, each body of the documented shape", async () => {
    const extra = fc.array(fc.constantFrom("q=%E5%85%9A%E5%BB%BA", "q=%E5%AD%A6%E4%B9%A0", "q=", "by=month", "by=year", "by=week", "format=csv", "format=json", "format=pdf", "q=NEAR%2F3", "q=%E6%A0%87%E9%A2%98%3A"), { maxLength: 6 });
    const urls = fc.sample(fc.tuple(paramSet, extra), { numRuns: 1500, seed: 31 }).map(([qs, more]) => `/api/trends?${[qs, ...more].filter(Boolean).join("&")}`);
    let ok = 0;
    const { problems } = await fire(urls, (url, status, body, type) => {
      if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
      // (fetch's text() drops the BOM: it is checked on the bytes below.)
      if (status === 200 && type.startsWith("text/csv")) return /^(年份|月份),全部文章,/u.test(body) ? (ok++, null) : `CSV without its header: ${body.slice(0, 40)}`;
      const parsed = (status === 200 ? trendsResponseSchema : errorSchema).safeParse(JSON.parse(body));
      if (!parsed.success) return `status ${status}, body not of the documented shape: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`;
      if (status === 200) ok++;
      else if (status !== 400) return `unexpected status ${status}`;
      return null;
    });
    expect(problems.slice(0, 20)).toEqual([]);
    expect(ok).toBeGreaterThan(100);
    const csv = Buffer.from(await (await fetch(`${server.base}/api/trends?q=${encodeURIComponent("党建")}&format=csv`)).arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  }, 300_000);

  it("answers /api/export in every format with no 5xx: an attachment of the format's type, or a 400 naming the parameter", async () => {
    const formats = fc.constantFrom("format=csv", "format=xlsx", "format=ris", "format=bib", "format=exe", "");
    const urls = fc.sample(fc.tuple(paramSet, formats), { numRuns: 400, seed: 32 }).map(([qs, f]) => `/api/export?${[qs, f].filter(Boolean).join("&")}`);
    let files = 0;
    const types: Record<string, RegExp> = { csv: /^text\/csv/u, xlsx: /spreadsheetml/u, ris: /research-info-systems/u, bib: /bibtex/u };
    const { problems } = await fire(urls, (url, status, body, type) => {
      if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
      if (status === 200) {
        const format = /format=(\w+)/u.exec(url)?.[1] ?? "csv";
        files++;
        return types[format]?.test(type) ? null : `format ${format} served as ${type}`;
      }
      const parsed = errorSchema.safeParse(JSON.parse(body));
      return status === 400 && parsed.success ? null : `status ${status}: ${body.slice(0, 100)}`;
    }, 4);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(files).toBeGreaterThan(50);
    const r = await fetch(`${server.base}/api/export?q=${encodeURIComponent("党建")}&format=csv`);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="dangjian-export-\d{8}\.csv"; filename\*=UTF-8''%E5%85%9A%E5%BB%BA%E6%96%87%E7%AB%A0-%E5%85%9A%E5%BB%BA-\d{8}\.csv$/u);
  }, 300_000);

  it("every article's view, with its citations, is of the documented shape", async () => {
    const ids = (await (await fetch(`${server.base}/api/search?size=100`)).json()).hits.map((h: { id: string }) => h.id);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      const body = await (await fetch(`${server.base}/api/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("党建 NEAR/5 工作")}`)).json();
      const parsed = articleViewSchema.safeParse(body);
      expect(parsed.success, `${id}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues[0])}`).toBe(true);
    }
  });

  it("serves the trends, advanced search and collections pages for generated input without a 5xx", async () => {
    const qs = fc.sample(paramSet, { numRuns: 300, seed: 33 });
    const urls = qs.flatMap((q) => [`/trends?${q}`, `/advanced?go=1&all=${q.slice(0, 60)}`, `/advanced?${q}`]).concat(["/collections", "/trends", "/advanced"]);
    const { problems } = await fire(urls, (_url, status) => (status >= 500 ? `status ${status}` : null), 4);
    expect(problems.slice(0, 20)).toEqual([]);
  }, 300_000);
});

describe("article ids", () => {
  it.each([
    "/api/articles/..%2F..%2Fetc%2Fpasswd",
    "/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/articles/..%5C..%5Cwindows",
    "/api/articles/%E4%B8",
    "/api/articles/a%00b",
    "/articles/..%2F..%2Fetc%2Fpasswd",
    "/articles/%E4%B8",
    "/articles/%FF",
  ])("%s is not found, and nothing of the file system shows", async (url) => {
    const r = await fetch(server.base + url);
    const body = await r.text();
    expect(r.status).toBe(404);
    expect(body).not.toMatch(/root:|\[boot loader\]/u);
  });
});

describe("security headers", () => {
  it("every page has a nonce-based script policy without 'unsafe-inline', and no frame may embed it", async () => {
    for (const url of ["/", "/?q=党建", "/articles/2019-theme-education-launch", "/articles/no-such-article"]) {
      const r = await fetch(server.base + url);
      const csp = r.headers.get("content-security-policy") ?? "";
      const script = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      expect(script, url).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/u);
      expect(script, url).not.toContain("unsafe-inline");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      // The nonce is on the page's own scripts, and differs per response.
      const html = await r.text();
      const nonce = /'nonce-([^']+)'/u.exec(script)![1];
      const $ = cheerio.load(html);
      const scripts = $("script").toArray();
      expect(scripts.length, url).toBeGreaterThan(0);
      for (const s of scripts) expect($(s).attr("nonce"), url).toBe(nonce);
      const again = (await fetch(server.base + url)).headers.get("content-security-policy");
      expect(again).not.toBe(csp);
    }
  });

  it("every response, pages, API, feed and static files, carries nosniff, a referrer policy and frame protection", async () => {
    const page = await (await fetch(`${server.base}/`)).text();
    const asset = cheerio.load(page)("script[src]").first().attr("src")!;
    for (const url of ["/", "/api/search?q=党建", "/api/articles/nope", "/feed.xml", "/opensearch.xml", asset]) {
      const r = await fetch(server.base + url);
      expect(r.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(r.headers.get("referrer-policy"), url).toBe("same-origin");
      expect(r.headers.get("x-frame-options"), url).toBe("DENY");
      expect(r.headers.get("x-powered-by"), url).toBeNull();
    }
  });
});

describe("following a search", () => {
  it("is an Atom feed of the newest matching articles that a feed parser reads, updated with each generation", async () => {
    const read = async (query: string) => {
      const r = await fetch(`${server.base}/feed.xml?${query}`);
      expect(r.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
      return parseFeed(await r.text());
    };
    const feed = await read(`q=${encodeURIComponent("党建")}&author=${encodeURIComponent("陈志明")}`);
    expect(feed.meta.type).toBe("atom");
    expect(feed.title).toContain("“党建”");
    expect(feed.title).toContain("作者：陈志明");
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.url).toMatch(new RegExp(`^${server.base}/articles/[^?]+\\?q=%E5%85%9A%E5%BB%BA$`, "u"));
      // The author filter matches either script; the feed shows the article's own spelling.
      expect(item.authors.map((a) => a.name).some((n) => n === "陈志明" || n === "陳志明")).toBe(true);
    }
    const dates = feed.items.map((i) => i.published?.getTime() ?? 0);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    const before = await read(`q=${encodeURIComponent("党建")}`);
    await lib.write("2026/feed-new.md", "最新党建动态：铁岭湾支部", "铁岭湾支部党建工作取得新进展。", "2026-11-28");
    await lib.reindex();
    await within(10_000, "the new article heads the feed", async () => (await read(`q=${encodeURIComponent("党建")}`)).items[0]?.title === "最新党建动态：铁岭湾支部");
    const after = await read(`q=${encodeURIComponent("党建")}`);
    expect(after.updated!.getTime()).toBeGreaterThan(before.updated!.getTime());
  });

  it("has an OpenSearch description, linked from every page, that an XML parser reads", async () => {
    const r = await fetch(`${server.base}/opensearch.xml`);
    expect(r.headers.get("content-type")).toBe("application/opensearchdescription+xml; charset=utf-8");
    const xml = await r.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml).OpenSearchDescription;
    expect(doc.xmlns).toBe("http://a9.com/-/spec/opensearch/1.1/");
    expect(doc.ShortName.length).toBeLessThanOrEqual(16);
    const templates = Object.fromEntries((doc.Url as Array<{ type: string; template: string }>).map((u) => [u.type, u.template]));
    expect(templates["text/html"]).toBe(`${server.base}/?q={searchTerms}`);
    expect(templates["application/atom+xml"]).toBe(`${server.base}/feed.xml?q={searchTerms}`);
    // (A missing article's 404 is rendered by the browser from a bare shell — Next.js does not server-render
    // notFound() in dynamic pages, vercel/next.js#62228 — so the app-level 404 stands in for not-found pages.)
    for (const url of ["/", "/?q=党建", "/articles/2019-theme-education-launch", "/no-such-page"]) {
      const $ = cheerio.load(await (await fetch(server.base + url)).text());
      expect($('head link[rel="search"][type="application/opensearchdescription+xml"]').attr("href"), url).toBe("/opensearch.xml");
    }
    const $ = cheerio.load(await (await fetch(`${server.base}/?q=${encodeURIComponent("党建")}`)).text());
    expect($('head link[rel="alternate"][type="application/atom+xml"]').attr("href")).toBe(`/feed.xml?q=${encodeURIComponent("党建")}`);
  });
});
