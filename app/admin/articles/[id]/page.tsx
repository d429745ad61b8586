import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminShell, adminButton, adminInput, adminLink, Flash, PostForm } from "@/components/admin/admin-shell";
import { adminStore } from "@/lib/admin/admin-store";
import { currentFields } from "@/lib/admin/article-fields";
import { requirePageSession } from "@/lib/admin/page-session";
import { articleIdFrom } from "@/lib/search/serving/article-id";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "编辑文章 · 后台", robots: { index: false } };

const FIELD_LABELS: Record<string, string> = { title: "标题", authors: "作者", source: "来源", date: "日期", tags: "标签" };

/** One article: correct its fields, withdraw or restore it, delete it. */
export default async function ArticleEditPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { account, session } = await requirePageSession();
  const id = articleIdFrom((await params).id);
  if (!id) notFound();
  const sp = await searchParams;
  const text = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string).slice(0, 500) : undefined);
  const current = await currentFields(id);
  const entry = await adminStore().overlayOf(id);
  if (!current && !entry) notFound();
  const field = text("field");
  return (
    <AdminShell account={account} session={session} title="编辑文章" current="/admin/articles">
      <Flash done={text("done")} error={text("error") && `${field ? `${FIELD_LABELS[field] ?? field}：` : ""}${text("error")}`} />
      <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
        id <code>{id}</code>
        {current && (
          <>
            {" · "}
            <a href={`/articles/${encodeURIComponent(id)}`} className={adminLink}>
              读者看到的页面
            </a>
          </>
        )}
      </p>
      {entry?.state && (
        <section className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950" data-testid="article-state" data-state={entry.state}>
          <p>
            《{entry.title}》{entry.state === "withdrawn" ? "已撤回" : "已删除"}（{entry.by ?? "—"}，{entry.updated.replace("T", " ").slice(0, 16)} UTC）{entry.note ? `：${entry.note}` : ""}
          </p>
          <PostForm action="/api/admin/articles" csrf={session.csrf} fields={{ id, action: "restore" }} className="mt-2">
            <button type="submit" className={adminButton}>
              恢复
            </button>
          </PostForm>
        </section>
      )}
      {current && (
        <>
          <PostForm action="/api/admin/articles" csrf={session.csrf} fields={{ id, action: "correct" }} className="mt-4 grid gap-3" testId="correct-form">
            {(
              [
                ["title", current.title, "text"],
                ["authors", current.authors.join("、"), "text"],
                ["source", current.source ?? "", "text"],
                ["date", current.date ?? "", "date"],
                ["tags", current.tags.join("、"), "text"],
              ] as const
            ).map(([name, value, type]) => (
              <label key={name} className="grid gap-1 text-sm">
                <span>
                  {FIELD_LABELS[name]}
                  {(name === "authors" || name === "tags") && <span className="text-xs text-zinc-500">（多个用“、”分开）</span>}
                </span>
                <input name={name} type={type} defaultValue={value} required={name === "title"} aria-invalid={field === name || undefined} className={adminInput} />
              </label>
            ))}
            <div>
              <button type="submit" className={`${adminButton} bg-red-700 text-white hover:bg-red-800 dark:hover:bg-red-600`}>
                保存更正
              </button>
              <span className="ml-3 text-xs text-zinc-500">更正保存在后台，重新索引、重新导入都不会丢失。</span>
            </div>
          </PostForm>
          <section className="mt-8 grid gap-4 border-t border-zinc-200 pt-4 sm:grid-cols-2 dark:border-zinc-800">
            <PostForm action="/api/admin/articles" csrf={session.csrf} fields={{ id, action: "withdraw" }} className="grid gap-2 text-sm">
              <label className="grid gap-1">
                <span>撤回原因（可选，读者看不到）</span>
                <input name="note" className={adminInput} maxLength={500} />
              </label>
              <div>
                <button type="submit" className={adminButton}>
                  撤回（不再检索，页面显示已撤回）
                </button>
              </div>
            </PostForm>
            <PostForm action="/api/admin/articles" csrf={session.csrf} fields={{ id, action: "delete" }} className="grid content-end gap-2 text-sm">
              <div>
                <button type="submit" className={`${adminButton} border-red-400 text-red-800 dark:text-red-300`}>
                  删除
                </button>
              </div>
            </PostForm>
          </section>
        </>
      )}
    </AdminShell>
  );
}
