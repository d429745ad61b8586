import { NextResponse, type NextRequest } from "next/server";
import { ParamError, parseSearchParams } from "@/lib/search/params";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  let req;
  try {
    req = parseSearchParams(request.nextUrl.searchParams);
  } catch (e) {
    if (e instanceof ParamError) return NextResponse.json({ error: e.message, param: e.param, ...(e.limit !== undefined ? { limit: e.limit } : {}) }, { status: 400 });
    throw e;
  }
  let index;
  try {
    index = await loadSearchIndex();
  } catch (e) {
    return NextResponse.json({ error: `search index unavailable: ${(e as Error).message}` }, { status: 503 });
  }
  return NextResponse.json(index.search(req));
}
