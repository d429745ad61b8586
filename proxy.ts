// Runs before every route under `next start` (under `npm start` the cluster's
// front server, scripts/serve.cjs, does the same work through the same
// function and marks the request, and this does not run: the proxy costs
// ~20% of a trivial page's throughput here). The work (lib/security/headers.ts):
//  - a path that does not decode (a malformed %-escape such as /articles/%E4%B8)
//    names nothing: 404 here, where Next.js itself would answer 500 while
//    decoding the route's parameters;
//  - every page gets a Content-Security-Policy with a fresh nonce: scripts run
//    only when Next.js marked them with it (no 'unsafe-inline' for scripts), so
//    markup that reaches a page from an article or a query can never run.
//    Next.js reads the nonce from the request's policy header and puts it on
//    its own scripts. The headers that do not change per request are in
//    next.config.ts.
import { NextResponse, type NextRequest } from "next/server";
import { requestPolicy } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const policy = requestPolicy(request.nextUrl.pathname, process.env.NODE_ENV === "development");
  if (policy.kind === "not-found") return new NextResponse(policy.body, { status: policy.status, headers: { "Content-Type": policy.contentType } });
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
  // cluster's front server has done this work already (POLICY_DONE_HEADER; a literal here,
  // as Next.js reads this object at build time).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "x-dangjian-policy-done" }] }],
};
