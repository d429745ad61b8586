import type { NextRequest } from "next/server";
import QRCode from "qrcode";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { readingUrl } from "@/lib/search/serving/citation";
import { pageOrigin } from "@/lib/search/serving/origin";
import { highlightQuery } from "@/lib/search/serving/params";

export const dynamic = "force-dynamic";

/**
 * GET /articles/<id>/qr?q=… — the reading page's address (with the query it
 * highlights) as a QR code in SVG. The page shows it in a closed <details>
 * as a lazy image, so it is made only when a reader opens it, not with every
 * page (it was ~8% of a reading page's server time). The SVG is the qrcode
 * library's own output: paths only, no text of the article.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const id = articleIdFrom((await params).id);
  if (!id) return new Response("文章编号无效\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  // An over-long query is left out of the address, as the page leaves out its highlights.
  const { q } = highlightQuery((request.nextUrl.searchParams.get("q") ?? "").trim());
  const pageUrl = readingUrl(pageOrigin(request.headers), id);
  const svg = await QRCode.toString(q ? `${pageUrl}?q=${encodeURIComponent(q)}` : pageUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return new Response(svg, {
    headers: {
      "content-type": "image/svg+xml",
      "x-content-type-options": "nosniff",
      // Opened on its own it is still only an image: nothing in it may run or load.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "cache-control": "private, max-age=3600",
    },
  });
}
