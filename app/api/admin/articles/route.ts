import { ACTIONS, articleAction, type ArticleAction } from "@/lib/admin/article-actions";
import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { currentFields } from "@/lib/admin/article-fields";

export const dynamic = "force-dynamic";

/**
 * POST /api/admin/articles (id, action=correct|withdraw|restore|delete, csrf;
 * for correct: title, authors, source, date, tags; for withdraw: note): an
 * editor's change to one article, indexed before the answer. A form gets a
 * 303 back to the article's back-office page with what happened; a client
 * that accepts JSON gets JSON.
 */
export async function POST(request: Request) {
  const form = await formOf(request, 4000);
  const g = await guard(request, { change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  const id = articleIdFrom(encodeURIComponent(form.get("id") ?? ""));
  const action = form.get("action") as ArticleAction;
  if (!id || !ACTIONS.includes(action)) return Response.json({ error: "id must name an article and action be correct, withdraw, restore or delete" }, { status: 400 });
  let current = null;
  try {
    current = await currentFields(id);
  } catch (e) {
    return Response.json({ error: `search index unavailable: ${(e as Error).message}` }, { status: 503 });
  }
  const r = await articleAction(action, id, form, current, g.account);
  if (wantsJson) return Response.json(r.ok ? r : { error: r.error, field: r.field }, { status: r.ok ? 200 : r.status, headers: { "Cache-Control": "no-store" } });
  const back = new URLSearchParams(r.ok ? { done: r.message } : { error: r.error, ...(r.field ? { field: r.field } : {}) });
  return seeOther(`/admin/articles/${encodeURIComponent(id)}?${back}`);
}
