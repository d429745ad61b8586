import type { NextRequest } from "next/server";
import { answerResponse, trendsAnswer } from "@/lib/search/serving/api-answers";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return answerResponse(await trendsAnswer(request.nextUrl.searchParams));
}
