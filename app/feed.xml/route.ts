import type { NextRequest } from "next/server";
import { answerResponse } from "@/lib/search/serving/api-answers";
import { feedAnswer } from "@/lib/search/serving/feed-answer";
import { siteOrigin } from "@/lib/search/serving/feed";

export const dynamic = "force-dynamic";

/** GET /feed.xml?q=&author=&source=&from=&to= — the newest matching articles as Atom. */
export async function GET(request: NextRequest) {
  return answerResponse(await feedAnswer(request.nextUrl.searchParams, siteOrigin(request)));
}
