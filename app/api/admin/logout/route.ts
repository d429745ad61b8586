import { signOut } from "@/lib/admin/auth";
import { adminStore } from "@/lib/admin/admin-store";
import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";
import { clearedCookie } from "@/lib/admin/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/logout (the form's csrf) → the session ends on the server and the cookie is cleared. */
export async function POST(request: Request) {
  const form = await formOf(request);
  const g = await guard(request, { change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  // Ended before the answer says so: the next request, on any replica, must find no session.
  await signOut(adminStore(), g.token);
  return seeOther("/admin/login?signed-out=1", { "Set-Cookie": clearedCookie(request) });
}
