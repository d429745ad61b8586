import { NextResponse, type NextRequest } from "next/server";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const q = request.nextUrl.searchParams.get("q") ?? undefined;
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
