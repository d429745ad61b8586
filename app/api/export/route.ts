import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { answer, answerResponse } from "@/lib/search/serving/api-answers";
import { exportResponse, parseExportParams } from "@/lib/search/serving/export";
import { siteOrigin } from "@/lib/search/serving/origin";

export const dynamic = "force-dynamic";

/** GET /api/export?<the search's parameters>&format=csv|xlsx|ris|bib — every result (at most 10,000) as a file, streamed. */
export async function GET(request: NextRequest) {
  let streamed: NextResponse | null = null;
  const a = await answer(
    () => parseExportParams(request.nextUrl.searchParams),
    async (index, req) => {
      const { body, headers } = await exportResponse(index, req, siteOrigin(request), new Date());
      streamed = new NextResponse(body, { status: 200, headers });
      return { status: 200, body: null };
    },
  );
  return streamed ?? answerResponse(a);
}
