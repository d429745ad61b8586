import { NextResponse, type NextRequest } from "next/server";
import { articleIdFrom } from "@/lib/search/article-id";
import { checkQuery, ParamError } from "@/lib/search/params";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id: segment } = await params;
  const id = articleIdFrom(segment);
  if (!id) return NextResponse.json({ error: "no such article" }, { status: 404 });
  const qs = request.nextUrl.searchParams.getAll("q");
  let q: string | undefined;
  try {
    if (qs.length > 1) throw new ParamError("q", "given more than once");
    q = qs.length ? checkQuery(qs[0]) : undefined;
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
  const article = index.get(id, q);
  if (!article) return NextResponse.json({ error: `no article with id "${id}"` }, { status: 404 });
  return NextResponse.json(article);
}
