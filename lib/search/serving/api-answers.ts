// The answers the routes share, and the one place that maps errors to HTTP
// (`answer`): a bad parameter is a 400 naming it (and the limit it broke), no
// index to serve or a store that does not answer a 503 saying why.
// /api/search, /api/suggest and /api/articles/<id> are computed here as plain
// answers (status, body, headers) so that the route handlers and the cluster
// workers' direct path (server/cluster.cjs, through `registerDirectApi`) give
// byte-for-byte the same response; the feed's answer (feed.ts) goes through
// `answer` too, and stays there so that its XML libraries load only when a
// feed is asked for.
import "server-only";
import { NextResponse } from "next/server";
import { StoreUnavailable } from "@/lib/search/engine/lean-reader";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { checkQuery, ParamError, parseSearchParams, parseSuggestParams, parseTrendParams } from "@/lib/search/serving/params";
import { isWithdrawn, liveGeneration, loadSearchIndex } from "@/lib/search/serving/server";
import { citeArticle } from "@/lib/search/serving/citation";
import { attachment, exportFileName, trendsCsv } from "@/lib/search/serving/export";
import { requestPolicy, STATIC_SECURITY_HEADERS, type RequestPolicy } from "@/lib/security/headers";
import { registerApp, type ApiAnswer } from "@/server/app-contract.cjs";

export type { ApiAnswer };

function paramErrorBody(e: ParamError) {
  return { error: e.message, param: e.param, ...(e.limit !== undefined ? { limit: e.limit } : {}) };
}

async function indexOr503(): Promise<SearchIndex | ApiAnswer> {
  try {
    return await loadSearchIndex();
  } catch (e) {
    return { status: 503, body: { error: `search index unavailable: ${(e as Error).message}` } };
  }
}

/**
 * An answer: the parameters read by `read`, then `compute` on the live
 * index. A ParamError is the 400 naming the parameter; no index, or a lean
 * index whose store does not answer, is the 503 saying why; anything else is
 * thrown on (a bug: the framework's 500).
 */
export async function answer<T>(read: () => T, compute: (index: SearchIndex, value: T) => ApiAnswer | Promise<ApiAnswer>): Promise<ApiAnswer> {
  let value: T;
  try {
    value = read();
  } catch (e) {
    if (e instanceof ParamError) return { status: 400, body: paramErrorBody(e) };
    throw e;
  }
  const index = await indexOr503();
  if ("status" in index) return index;
  try {
    return await compute(index, value);
  } catch (e) {
    if (StoreUnavailable.is(e)) return { status: 503, body: { error: e.message } };
    throw e;
  }
}

/** GET /api/search: the results page for the parameters, or a 400 naming the parameter. */
export function searchAnswer(params: URLSearchParams): Promise<ApiAnswer> {
  return answer(
    () => parseSearchParams(params),
    async (index, req) => ({ status: 200, body: await index.searchAsync(req) }),
  );
}

/** GET /api/trends: each query's articles, occurrences and share per year or month (engine/trends.ts); format=csv for a file. */
export function trendsAnswer(params: URLSearchParams): Promise<ApiAnswer> {
  return answer(
    () => {
      const formats = params.getAll("format");
      if (formats.length > 1 || (formats[0] && formats[0] !== "json" && formats[0] !== "csv")) throw new ParamError("format", `"${formats.join(",")}" is not json or csv`);
      const rest = new URLSearchParams(params);
      rest.delete("format");
      return { req: parseTrendParams(rest), csv: formats[0] === "csv" };
    },
    async (index, { req, csv }) => {
      const body = await index.trendsAsync(req);
      if (!csv) return { status: 200, body };
      const name = exportFileName(req.queries.join(" "), "csv", new Date(), ["提法趋势", "dangjian-trends"]);
      return { status: 200, body: null, text: trendsCsv(body), headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment(name), "Cache-Control": "no-store" } };
    },
  );
}

/** GET /api/suggest: completions of what is being typed, `{q, suggestions: [{text, kind, articles}]}`, at most 8. */
export function suggestAnswer(params: URLSearchParams): Promise<ApiAnswer> {
  return answer(
    () => parseSuggestParams(params),
    async (index, q) => ({ status: 200, body: { q, suggestions: await index.suggestAsync(q) }, headers: { "Cache-Control": "private, max-age=60" } }),
  );
}

/** GET /api/articles/<id>?q=: the article (highlighted when q is given) with its citations, or a 404. */
export function articleAnswer(rawId: string, params: URLSearchParams, origin: string): Promise<ApiAnswer> {
  const id = articleIdFrom(rawId);
  if (!id) return Promise.resolve({ status: 404, body: { error: "no such article" } });
  return answer(
    () => {
      const qs = params.getAll("q");
      if (qs.length > 1) throw new ParamError("q", "given more than once");
      return qs.length ? checkQuery(qs[0]) : undefined;
    },
    async (index, q) => {
      const article = await index.getAsync(id, q);
      if (article) return { status: 200, body: { ...article, citation: citeArticle(article, origin, new Date()) } };
      return isWithdrawn(id) ? { status: 410, body: { error: `article "${id}" was withdrawn by the editors` } } : { status: 404, body: { error: `no article with id "${id}"` } };
    },
  );
}

/** The route handler's response: `text` as it is (its Content-Type among the headers), else `body` as JSON. */
export function answerResponse(a: ApiAnswer): NextResponse {
  if (a.text !== undefined) return new NextResponse(a.text, { status: a.status, headers: a.headers });
  return NextResponse.json(a.body, { status: a.status, headers: a.headers });
}

const GONE_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>本文已撤回</title></head><body><main><h1>本文已撤回</h1><p>这篇文章已由编辑撤回，不再提供阅读和检索。</p><p><a href="/">返回首页搜索</a></p></main></body></html>`;

/** A withdrawn article's reading page, PDF view, original or QR code: 410 Gone (a page readers and crawlers take as "removed on purpose"). */
export function goneArticle(pathname: string): RequestPolicy | null {
  const m = /^\/articles\/([^/]+)(?:\/(?:pdf|original|qr))?$/u.exec(pathname);
  const id = m && articleIdFrom(m[1]);
  if (!id || !isWithdrawn(id)) return null;
  return { kind: "not-found", status: 410, contentType: "text/html; charset=utf-8", body: GONE_PAGE };
}

/**
 * What the cluster workers' server (server/cluster.cjs) calls for these two
 * paths instead of going through Next.js's router, which costs more than the
 * search itself here (measured: ~640 no-op route answers/s per process), and
 * what else it needs of the app: the contract in server/app-contract.cjs.
 */
export function registerDirectApi(): void {
  registerApp({
    answers: {
      "/api/search": searchAnswer,
      "/api/suggest": suggestAnswer,
    },
    // next.config.ts puts these on every response; the direct path must too.
    headers: Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value])),
    // The proxy's work, done by the front server for everything it hands to Next.js (proxy.ts).
    requestPolicy: (pathname: string) => goneArticle(pathname) ?? requestPolicy(pathname),
    // The generation serving now (null before the first load): the front server keeps rendered pages per generation (server/page-cache.cjs).
    generation: liveGeneration,
  });
}
