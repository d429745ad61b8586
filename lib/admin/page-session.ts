// The session of a back-office page (a server component reads the cookie it was sent with).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionOf } from "@/lib/admin/auth";
import { adminStore } from "@/lib/admin/admin-store";
import { SESSION_COOKIE } from "@/lib/admin/http";
import type { Account, SessionRow } from "@/lib/admin/store";

/** The signed-in account, or null. */
export async function pageSession(): Promise<{ account: Account; session: SessionRow } | null> {
  return sessionOf(adminStore(), (await cookies()).get(SESSION_COOKIE)?.value);
}

/** The signed-in account; without one, the sign-in page. */
export async function requirePageSession(): Promise<{ account: Account; session: SessionRow }> {
  const found = await pageSession();
  if (!found) redirect("/admin/login");
  return found;
}
