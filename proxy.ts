// Runs before every route under `next start`: `requestPolicy`
// (lib/security/headers.ts) says what a request needs — a 404 for a path that
// does not decode, or the page's Content-Security-Policy with a fresh nonce,
// which Next.js reads from the request's policy header and puts on its own
// scripts. Under `npm start` the cluster's front server (server/cluster.cjs)
// does the same through the same function and marks the request, and this does
// not run (it costs ~20% of a trivial page's throughput here). The headers that
// do not change per request are in next.config.ts.
import { NextResponse, type NextRequest } from "next/server";
import { requestPolicy } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const policy = requestPolicy(request.nextUrl.pathname, process.env.NODE_ENV === "development");
  if (policy.kind === "not-found") return new NextResponse(policy.body, { status: policy.status, headers: { "Content-Type": policy.contentType, "Cache-Control": "no-cache" } });
  if (policy.kind === "pass") return NextResponse.next();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", policy.nonce);
  requestHeaders.set("Content-Security-Policy", policy.policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy.policy);
  return response;
}

export const config = {
  // Everything but built assets and the icon (their paths are Next.js's own), unless the
  // cluster's front server has done this work already (POLICY_DONE_HEADER of server/app-contract.cjs;
  // a literal here, as Next.js reads this object at build time; a unit test checks they are the same).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "x-dangjian-policy-done" }] }],
};
