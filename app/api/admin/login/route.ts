import { signIn } from "@/lib/admin/auth";
import { adminStore } from "@/lib/admin/admin-store";
import { formOf, seeOther } from "@/lib/admin/guard";
import { clientAddress, sameOrigin, sessionCookie } from "@/lib/admin/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/login (a form: name, password) → 303 to /admin with a new session, or back to the sign-in page saying why. */
export async function POST(request: Request) {
  if (!sameOrigin(request)) return Response.json({ error: "cross-site request refused" }, { status: 403 });
  const form = await formOf(request);
  const r = await signIn(adminStore(), form.get("name") ?? "", form.get("password") ?? "", clientAddress(request));
  if (!r.ok) return seeOther(`/admin/login?error=${r.reason}`);
  return seeOther("/admin", { "Set-Cookie": sessionCookie(r.token, request) });
}
