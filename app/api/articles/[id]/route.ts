import { NextResponse, type NextRequest } from "next/server";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { liveIndex, readParams } from "@/lib/search/serving/api-answers";
import { StoreUnavailable } from "@/lib/search/engine/lean-source";
import { checkQuery, ParamError } from "@/lib/search/serving/params";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const id = articleIdFrom((await params).id);
  if (!id) return NextResponse.json({ error: "no such article" }, { status: 404 });
  const q = readParams(() => {
    const qs = request.nextUrl.searchParams.getAll("q");
    if (qs.length > 1) throw new ParamError("q", "given more than once");
    return qs.length ? checkQuery(qs[0]) : undefined;
  });
  if (q instanceof NextResponse) return q;
  const index = await liveIndex();
  if (index instanceof NextResponse) return index;
  let article;
  try {
    article = await index.getAsync(id, q);
  } catch (e) {
    // A lean index whose database did not answer: unavailable, not an error of ours.
    if (e instanceof StoreUnavailable) return NextResponse.json({ error: e.message }, { status: 503 });
    throw e;
  }
  if (!article) return NextResponse.json({ error: `no article with id "${id}"` }, { status: 404 });
  return NextResponse.json(article);
}
