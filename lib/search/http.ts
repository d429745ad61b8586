// The JSON answers the routes share: a bad parameter is a 400 naming it (and
// the limit it broke), a missing index a 503 saying why.
import "server-only";
import { NextResponse } from "next/server";
import type { SearchIndex } from "@/lib/search/engine";
import { ParamError } from "@/lib/search/params";
import { loadSearchIndex } from "@/lib/search/server";

/** Runs `read`; a ParamError becomes the 400 answer, anything else is thrown on. */
export function readParams<T>(read: () => T): T | NextResponse {
  try {
    return read();
  } catch (e) {
    if (e instanceof ParamError) return NextResponse.json({ error: e.message, param: e.param, ...(e.limit !== undefined ? { limit: e.limit } : {}) }, { status: 400 });
    throw e;
  }
}

/** The live index, or the 503 answer when there is none to serve. */
export async function liveIndex(): Promise<SearchIndex | NextResponse> {
  try {
    return await loadSearchIndex();
  } catch (e) {
    return NextResponse.json({ error: `search index unavailable: ${(e as Error).message}` }, { status: 503 });
  }
}
