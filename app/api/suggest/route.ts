import type { NextRequest } from "next/server";
import { answerResponse, suggestAnswer } from "@/lib/search/serving/api-answers";

export const dynamic = "force-dynamic";

/** Completions of what is being typed: `{q, suggestions: [{text, kind, articles}]}`, at most 8. */
export async function GET(request: NextRequest) {
  return answerResponse(await suggestAnswer(request.nextUrl.searchParams));
}
