import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";
import { adminStore } from "@/lib/admin/admin-store";
import { requestIndexRun } from "@/lib/admin/indexing";
import { newGroupProblem } from "@/lib/text/synonyms";

export const dynamic = "force-dynamic";

/**
 * POST /api/admin/synonyms (query, terms, csrf; admins): adds the group
 * "query | term | …" (the reviewed file's format) to the back office's
 * groups, kept beside the reviewed file's and put into every generation;
 * the generation this publishes carries it to every server.
 */
export async function POST(request: Request) {
  const form = await formOf(request, 400);
  const g = await guard(request, { role: "admin", change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  const back = (p: Record<string, string>) => seeOther(`/admin/searches?${new URLSearchParams({ ...p, ...(form.get("from") ? { from: form.get("from")! } : {}), ...(form.get("to") ? { to: form.get("to")! } : {}) })}`);
  const query = (form.get("query") ?? "").replace(/[|\r\n]/gu, " ").trim();
  const terms = (form.get("terms") ?? "").split(/[,，、;；|\r\n]/u).map((t) => t.trim()).filter(Boolean);
  if (!query || !terms.length) return back({ error: "请填写查询词和至少一个同义词" });
  if ([query, ...terms].some((t) => t.length > 50)) return back({ error: "每个词不能超过 50 字" });
  const line = [query, ...terms].join(" | ");
  const problem = newGroupProblem(line);
  if (problem) return back({ error: `不能添加“${line}”：${problem}` });
  await adminStore().addSynonymGroup(line, g.account.name);
  await adminStore().audit({ actor: g.account.name, action: "synonym added", target: query, before: null, after: line });
  try {
    await requestIndexRun({ trigger: "synonyms", actor: g.account.name });
  } catch (e) {
    return back({ error: `已添加同义词组，但发布新版本失败（${(e as Error).message}）：下次索引时生效` });
  }
  return back({ done: `已添加同义词组“${line}”，几秒内在所有服务器生效` });
}
