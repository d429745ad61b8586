import { beaconAnswer } from "@/lib/admin/analytics";

export const dynamic = "force-dynamic";

/** POST /api/analytics ({kind: "search", q, total} or {kind: "click", q, position}): the results page's beacon (under `npm start` the front server answers it through the same function). */
export async function POST(request: Request) {
  const length = Number(request.headers.get("content-length") ?? "0");
  const body = length > 0 && length <= 2048 ? await request.text() : "";
  const a = await beaconAnswer(request.headers, request.url, body);
  return a.body ? Response.json(a.body, { status: a.status, headers: { "Cache-Control": "no-store" } }) : new Response(null, { status: a.status, headers: { "Cache-Control": "no-store" } });
}
