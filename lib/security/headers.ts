// The security headers, in one place: SECURITY.md documents them and a server
// test checks every response carries them.

/** The page policy: scripts only with this request's nonce; nothing may frame the site. */
function contentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced ones load are trusted, nothing else; dev mode's refresh needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Styles are not scripts: inline style attributes (React) and the no-JS <style> stay allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The PDF page viewer's pdf.js worker (/pdfjs/pdf.worker.min.mjs).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers on every response, static files and API included. */
export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Searches are in URLs: other sites (an article's original link) get no referrer at all.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** What a request needs before Next.js renders it: a 404 answer, the page policy, or nothing. */
export type RequestPolicy =
  | { kind: "not-found"; status: 404 | 410; contentType: string; body: string }
  | { kind: "page"; nonce: string; policy: string }
  | { kind: "pass" };

/**
 * The proxy's work for one path, as data, so that proxy.ts and the cluster's
 * front server do the same thing:
 *  - a path that does not decode (a malformed %-escape such as /articles/%E4%B8)
 *    names nothing: 404, where Next.js itself would answer 500 while decoding
 *    the route's parameters;
 *  - every page gets the policy above with a fresh nonce (Next.js reads it from
 *    the request's policy header and puts it on its own scripts); files
 *    (a document's original, pdf.js's worker) keep their own.
 */
export function requestPolicy(pathname: string, development = false): RequestPolicy {
  try {
    decodeURIComponent(pathname);
  } catch {
    return pathname.startsWith("/api/")
      ? { kind: "not-found", status: 404, contentType: "application/json", body: JSON.stringify({ error: "no such resource (the path is not valid percent-encoded UTF-8)" }) }
      : { kind: "not-found", status: 404, contentType: "text/plain; charset=utf-8", body: "找不到页面 (404)" };
  }
  if (pathname.startsWith("/api/") || pathname === "/feed.xml" || pathname === "/opensearch.xml") return { kind: "pass" };
  // A document's original and pdf.js's assets are files, not pages: they carry their own policy (a sandbox, for originals).
  if (/^\/articles\/[^/]+\/original$/u.test(pathname) || pathname.startsWith("/pdfjs/")) return { kind: "pass" };
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  return { kind: "page", nonce, policy: contentSecurityPolicy(nonce, development) };
}
