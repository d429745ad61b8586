// GET /articles/<id>/original: the file an article was read from (Word, PDF,
// scan, web page, text), always as a download: Content-Disposition attachment with the file's
// own name (RFC 6266/5987, so Chinese names survive), its own type, nosniff,
// and a CSP sandbox, so that no original is ever rendered as a page of this
// site. Content-addressed: the ETag is the file's sha256.
import "server-only";
import { NextResponse } from "next/server";
import { StoreUnavailable } from "@/lib/search/engine/lean-reader";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { loadSearchIndex, readOriginal } from "@/lib/search/serving/server";

function json(status: number, error: string): NextResponse {
  return NextResponse.json({ error }, { status, headers: { "Cache-Control": "no-store" } });
}

/** `attachment` with an ASCII fallback name and the real one in RFC 5987 form. */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/gu, "_").replace(/["\\]/gu, "_") || "original";
  const encoded = encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export async function originalResponse(rawId: string, ifNoneMatch: string | null): Promise<NextResponse> {
  const id = articleIdFrom(rawId);
  if (!id) return json(404, "no such article");
  let original;
  let bytes: Buffer | null = null;
  try {
    const index = await loadSearchIndex();
    original = await index.originalAsync(id);
    if (!original) return json(404, `article "${id}" has no original file (a record of a JSONL file keeps none)`);
    const etag = `"${original.sha256}"`;
    if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === etag)) return new NextResponse(null, { status: 304, headers: { ETag: etag, "Cache-Control": "private, no-cache" } });
    bytes = await readOriginal(original.sha256);
  } catch (e) {
    if (StoreUnavailable.is(e)) return json(503, (e as Error).message);
    return json(503, `search index unavailable: ${(e as Error).message}`);
  }
  if (!bytes) return json(404, `the original of "${id}" is no longer kept (re-run npm run index)`);
  return new NextResponse(new Uint8Array(bytes), {
    status: 200,
    headers: {
      "Content-Type": original.type,
      "Content-Length": String(bytes.length),
      "Content-Disposition": attachmentDisposition(original.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-cache",
      ETag: `"${original.sha256}"`,
    },
  });
}
