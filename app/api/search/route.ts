import { NextResponse, type NextRequest } from "next/server";
import { liveIndex, readParams } from "@/lib/search/http";
import { parseSearchParams } from "@/lib/search/params";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const req = readParams(() => parseSearchParams(request.nextUrl.searchParams));
  if (req instanceof NextResponse) return req;
  const index = await liveIndex();
  if (index instanceof NextResponse) return index;
  return NextResponse.json(index.search(req));
}
