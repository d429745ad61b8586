// The JSON answers the routes share: a bad parameter is a 400 naming it (and
// the limit it broke), a missing index a 503 saying why. /api/search and
// /api/suggest are computed here as plain answers (status, body, headers) so
// the route handlers and the cluster workers' direct path (server/cluster.cjs,
// through `registerDirectApi`) give byte-for-byte the same response.
import "server-only";
import { NextResponse } from "next/server";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { StoreUnavailable } from "@/lib/search/engine/lean-source";
import { ParamError, parseSearchParams, parseSuggestParams } from "@/lib/search/serving/params";
import { liveGeneration, loadSearchIndex } from "@/lib/search/serving/server";
import { requestPolicy, STATIC_SECURITY_HEADERS } from "@/lib/security/headers";

/** Runs `read`; a ParamError becomes the 400 answer, anything else is thrown on. */
export function readParams<T>(read: () => T): T | NextResponse {
  try {
    return read();
  } catch (e) {
    if (e instanceof ParamError) return NextResponse.json(paramErrorBody(e), { status: 400 });
    throw e;
  }
}

function paramErrorBody(e: ParamError) {
  return { error: e.message, param: e.param, ...(e.limit !== undefined ? { limit: e.limit } : {}) };
}

/** The live index, or the 503 answer when there is none to serve. */
export async function liveIndex(): Promise<SearchIndex | NextResponse> {
  const index = await indexOr503();
  return "status" in index ? NextResponse.json(index.body, { status: index.status }) : index;
}

async function indexOr503(): Promise<SearchIndex | ApiAnswer> {
  try {
    return await loadSearchIndex();
  } catch (e) {
    return { status: 503, body: { error: `search index unavailable: ${(e as Error).message}` } };
  }
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A JSON answer: the parameters read by `read` (a ParamError is the 400 naming it), then `compute` on the live index (none: 503). */
async function answer<T>(read: () => T, compute: (index: SearchIndex, value: T) => ApiAnswer | Promise<ApiAnswer>): Promise<ApiAnswer> {
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
    if (e instanceof StoreUnavailable) return { status: 503, body: { error: e.message } };
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

/** GET /api/suggest: completions of what is being typed, `{q, suggestions: [{text, kind, articles}]}`, at most 8. */
export function suggestAnswer(params: URLSearchParams): Promise<ApiAnswer> {
  return answer(
    () => parseSuggestParams(params),
    async (index, q) => ({ status: 200, body: { q, suggestions: await index.suggestAsync(q) }, headers: { "Cache-Control": "private, max-age=60" } }),
  );
}

export function answerResponse(a: ApiAnswer): NextResponse {
  return NextResponse.json(a.body, { status: a.status, headers: a.headers });
}

/**
 * What the cluster workers' server (server/cluster.cjs) calls for these two
 * paths instead of going through Next.js's router, which costs more than the
 * search itself here (measured: ~640 no-op route answers/s per process). Put on
 * globalThis because that server is plain Node outside the app's bundle.
 */
const DIRECT_API_KEY = Symbol.for("dangjian-search.direct-api");

export function registerDirectApi(): void {
  (globalThis as Record<symbol, unknown>)[DIRECT_API_KEY] = {
    answers: {
      "/api/search": searchAnswer,
      "/api/suggest": suggestAnswer,
    } satisfies Record<string, (params: URLSearchParams) => Promise<ApiAnswer>>,
    // next.config.ts puts these on every response; the direct path must too.
    headers: Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value])),
    // The proxy's work, done by the front server for everything it hands to Next.js (proxy.ts).
    requestPolicy: (pathname: string) => requestPolicy(pathname),
    // The generation serving now (null before the first load): the front server keeps rendered pages per generation (server/page-cache.cjs).
    generation: liveGeneration,
  };
}
