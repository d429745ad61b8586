import type { NextRequest } from "next/server";
import { answerResponse, articleAnswer } from "@/lib/search/serving/api-answers";
import { siteOrigin } from "@/lib/search/serving/origin";

export const dynamic = "force-dynamic";

/** GET /api/articles/<id>?q= — the article, highlighted when q is given, with its citations; 404 for an unknown id. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  return answerResponse(await articleAnswer((await params).id, request.nextUrl.searchParams, siteOrigin(request)));
}
