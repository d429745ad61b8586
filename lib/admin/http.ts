// The back office over HTTP: its session cookie, the same-origin check every
// state-changing request passes, and the client's address.
import { CLIENT_ADDRESS_HEADER } from "@/server/app-contract.cjs";
import { siteOrigin } from "@/lib/search/serving/origin";

/** HttpOnly, SameSite=Strict, Path=/, Secure behind HTTPS; no Max-Age beyond the session's own 12 hours. */
export const SESSION_COOKIE = "dj_admin";

export interface RequestLike {
  url: string;
  headers: Headers;
}

/** Whether the site is reached over HTTPS (SITE_URL says so, or the proxy in front does). */
export function overHttps(request: RequestLike): boolean {
  return siteOrigin(request).startsWith("https:") || request.headers.get("x-forwarded-proto") === "https";
}

export function sessionCookie(token: string, request: RequestLike): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${12 * 3600}${overHttps(request) ? "; Secure" : ""}`;
}

export function clearedCookie(request: RequestLike): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${overHttps(request) ? "; Secure" : ""}`;
}

/** A cookie's value from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

/**
 * Whether a state-changing request comes from this site's own pages: its
 * Origin is this site's (browsers send it on every POST), or, without one,
 * Sec-Fetch-Site says same-origin. Anything else is refused (OWASP's
 * "verifying origin with standard headers"); requests with a session also
 * carry the session's own token (`csrf`).
 */
export function sameOrigin(request: RequestLike): boolean {
  const origin = request.headers.get("origin");
  if (origin) return origin === new URL(siteOrigin(request)).origin || origin === new URL(request.url).origin;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** The client's address, as the front server saw it ("unknown" under a bare next start). */
export function clientAddress(request: RequestLike): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
