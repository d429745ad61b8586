// The site's address for absolute links (feeds, OpenSearch, citations, exports).
import { config } from "@/lib/config/env.cjs";

const HOST = /^[\w.-]+(:\d+)?$|^\[[\da-f:]+\](:\d+)?$/iu;

/**
 * The site's address for absolute links: SITE_URL when set (set it behind a
 * proxy: a Host header is the client's word), else the host the request was
 * sent to.
 */
export function siteOrigin(request: { url: string; headers: Headers }): string {
  const configured = config().siteUrl;
  if (configured) return configured;
  const url = new URL(request.url);
  const host = request.headers.get("host");
  return host && HOST.test(host) ? `${url.protocol}//${host}` : url.origin;
}

/** siteOrigin() for a page, which has the request's headers only (http unless a proxy says https). */
export function pageOrigin(headers: Headers): string {
  const configured = config().siteUrl;
  if (configured) return configured;
  const host = headers.get("host");
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host && HOST.test(host) ? host : "localhost"}`;
}
