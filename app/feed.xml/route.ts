import { NextResponse, type NextRequest } from "next/server";
import { atomFeed, FEED_SIZE, siteOrigin } from "@/lib/search/serving/feed";
import { liveIndex, readParams } from "@/lib/search/serving/api-answers";
import { parseSearchParams } from "@/lib/search/serving/params";

export const dynamic = "force-dynamic";

/** GET /feed.xml?q=&author=&source=&from=&to= — the newest matching articles as Atom. */
export async function GET(request: NextRequest) {
  const req = readParams(() => {
    const params = new URLSearchParams(request.nextUrl.searchParams);
    // A feed is always the newest first page; the request may not choose another order or page.
    for (const key of ["sort", "page", "size"]) params.delete(key);
    return { ...parseSearchParams(params), sort: "newest" as const, page: 1, size: FEED_SIZE };
  });
  if (req instanceof NextResponse) return req;
  const index = await liveIndex();
  if (index instanceof NextResponse) return index;
  return new NextResponse(atomFeed(req, await index.searchAsync(req), index.manifest, siteOrigin(request)), {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      // Feed readers poll: a minute's caching costs nothing, and a new generation shows within it.
      "Cache-Control": "public, max-age=60",
    },
  });
}
