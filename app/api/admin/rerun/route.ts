import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";
import { adminStore } from "@/lib/admin/admin-store";
import { requestIndexRun } from "@/lib/admin/indexing";

export const dynamic = "force-dynamic";

/** POST /api/admin/rerun (file, csrf): reads a file that failed again (it may have been fixed, or what it needed installed) in a new index run. */
export async function POST(request: Request) {
  const form = await formOf(request, 2000);
  const g = await guard(request, { change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  const file = form.get("file") ?? "";
  if (!file || file.includes("\0") || file.split("/").includes("..")) return Response.json({ error: "file must name a file of the content folder" }, { status: 400 });
  await adminStore().audit({ actor: g.account.name, action: "rerun", target: file, before: null, after: null });
  let message: string;
  try {
    const answer = await requestIndexRun({ trigger: "rerun", actor: g.account.name, files: [file], fresh: [file] });
    const r = answer.files[file];
    message = r?.articles.length ? `重新处理成功：${r.articles.map((a) => a.title).join("、")}` : `仍然失败：${r?.errors.join("；") || "没有读出文章"}`;
  } catch (e) {
    message = `索引失败：${(e as Error).message}`;
  }
  return seeOther(`/admin/runs?${new URLSearchParams({ done: message })}`);
}
