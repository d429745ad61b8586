import { count, parseBeacon } from "@/lib/admin/analytics";
import { sameOrigin } from "@/lib/admin/http";
import { config } from "@/lib/config/env.cjs";

export const dynamic = "force-dynamic";

const none = (status: number, error?: string) => (error ? Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } }) : new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } }));

/** POST /api/analytics ({kind: "search", q, total} or {kind: "click", q, position}): the results page's beacon. Same origin only; 204 also when ANALYTICS=0 (nothing kept). */
export async function POST(request: Request) {
  if (!sameOrigin(request)) return none(403, "cross-site beacon refused");
  if (!config().analytics) return none(204);
  const length = Number(request.headers.get("content-length") ?? "0");
  if (!(length > 0 && length <= 2048)) return none(413, "a beacon is at most 2 KB, with a Content-Length");
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return none(400, "the body is not JSON");
  }
  const b = parseBeacon(body);
  if (typeof b === "string") return none(400, b);
  await count(b);
  return none(204);
}
