import { NextResponse, type NextRequest } from "next/server";
import { openSearchDescription, siteOrigin } from "@/lib/search/serving/feed";

export const dynamic = "force-dynamic";

/** GET /opensearch.xml — lets a browser add the site as a search engine. */
export function GET(request: NextRequest) {
  return new NextResponse(openSearchDescription(siteOrigin(request)), {
    headers: { "Content-Type": "application/opensearchdescription+xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
