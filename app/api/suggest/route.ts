import { NextResponse, type NextRequest } from "next/server";
import { liveIndex, readParams } from "@/lib/search/http";
import { parseSuggestParams } from "@/lib/search/params";

export const dynamic = "force-dynamic";

/** Completions of what is being typed: `{q, suggestions: [{text, kind, articles}]}`, at most 8. */
export async function GET(request: NextRequest) {
  const q = readParams(() => parseSuggestParams(request.nextUrl.searchParams));
  if (q instanceof NextResponse) return q;
  const index = await liveIndex();
  if (index instanceof NextResponse) return index;
  return NextResponse.json({ q, suggestions: index.suggest(q) }, { headers: { "Cache-Control": "private, max-age=60" } });
}
