import { NextResponse, type NextRequest } from "next/server";
import { atomFeed, FEED_SIZE, siteOrigin } from "@/lib/search/feed";
import { ParamError, parseSearchParams } from "@/lib/search/params";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

/** GET /feed.xml?q=&author=&source=&from=&to= — the newest matching articles as Atom. */
export async function GET(request: NextRequest) {
  let req;
  try {
    const params = new URLSearchParams(request.nextUrl.searchParams);
    // A feed is always the newest first page; the request may not choose another order or page.
    for (const key of ["sort", "page", "size"]) params.delete(key);
    req = { ...parseSearchParams(params), sort: "newest" as const, page: 1, size: FEED_SIZE };
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
  const xml = atomFeed(req, index.search(req), index.manifest, siteOrigin(request));
  return new NextResponse(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      // Feed readers poll: a minute's caching costs nothing, and a new generation shows within it.
      "Cache-Control": "public, max-age=60",
    },
  });
}
