// Runs before every route. Two jobs:
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
import { contentSecurityPolicy } from "@/lib/security/headers";

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (!decodes(path)) {
    return path.startsWith("/api/")
      ? NextResponse.json({ error: "no such resource (the path is not valid percent-encoded UTF-8)" }, { status: 404 })
      : new NextResponse("找不到页面 (404)", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (path.startsWith("/api/") || path === "/feed.xml" || path === "/opensearch.xml") return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything but built assets and the icon (their paths are Next.js's own).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
