// The check every back-office request passes: a live session (else 401),
// the role the action needs (else 403), and for a change the same origin and
// the session's own anti-forgery token (else 403).
import { sessionOf } from "@/lib/admin/auth";
import { adminStore } from "@/lib/admin/admin-store";
import { cookieValue, sameOrigin, SESSION_COOKIE, type RequestLike } from "@/lib/admin/http";
import type { Account, Role, SessionRow } from "@/lib/admin/store";

export type Guarded = { ok: true; account: Account; session: SessionRow; token: string } | { ok: false; status: 401 | 403; error: string };

export async function guard(request: RequestLike, need: { role?: Role; change?: { csrf: string | null } }): Promise<Guarded> {
  if (need.change && !sameOrigin(request)) return { ok: false, status: 403, error: "cross-site request refused" };
  const token = cookieValue(request.headers.get("cookie"), SESSION_COOKIE);
  const found = await sessionOf(adminStore(), token);
  if (!found || !token) return { ok: false, status: 401, error: "sign in first" };
  if (need.change && need.change.csrf !== found.session.csrf) return { ok: false, status: 403, error: "the form's anti-forgery token is missing or wrong: reload the page" };
  if (need.role === "admin" && found.account.role !== "admin") return { ok: false, status: 403, error: "only an admin may do this" };
  return { ok: true, account: found.account, session: found.session, token };
}

/** A refusal as JSON, never cached. */
export function refusal(g: Extract<Guarded, { ok: false }>): Response {
  return Response.json({ error: g.error }, { status: g.status, headers: { "Cache-Control": "no-store" } });
}

/** A 303 to a page of this site (after a form). */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store", ...headers } });
}

/** A form's fields, bounded: a field over `max` characters is cut (names and passwords are short). */
export async function formOf(request: Request, max = 1024): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/u.test(type)) return out;
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 64 * 1024) return out;
  try {
    for (const [k, v] of await request.formData()) if (typeof v === "string") out.set(k, v.slice(0, max));
  } catch {
    return out;
  }
  return out;
}
