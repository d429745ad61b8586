import { adminStore } from "@/lib/admin/admin-store";
import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";

export const dynamic = "force-dynamic";

/** POST /api/admin/accounts (action=disable|enable, name, csrf): an admin disables or enables an account; disabling ends its sessions. */
export async function POST(request: Request) {
  const form = await formOf(request);
  const g = await guard(request, { role: "admin", change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  const action = form.get("action");
  const store = adminStore();
  const target = await store.account(form.get("name") ?? "");
  if ((action !== "disable" && action !== "enable") || !target) return Response.json({ error: "action must be disable or enable, and name an account" }, { status: 400 });
  if (target.id === g.account.id) return Response.json({ error: "an admin cannot disable their own account" }, { status: 400 });
  await store.setDisabled(target.name, action === "disable");
  if (action === "disable") await store.deleteSessionsOf(target.id);
  await store.audit({ actor: g.account.name, action: `account ${action}d`, target: target.name, before: JSON.stringify({ disabled: target.disabled }), after: JSON.stringify({ disabled: action === "disable" }) });
  return seeOther("/admin");
}
