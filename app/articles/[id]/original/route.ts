import type { NextRequest } from "next/server";
import { originalResponse } from "@/lib/search/serving/original";

export const dynamic = "force-dynamic";

/** GET /articles/<id>/original — the document's original file, as a download (never shown inline). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  return originalResponse((await params).id, request.headers.get("if-none-match"));
}
