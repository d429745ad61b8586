import type { Metadata } from "next";
import { AdminShell, AdminTableHead, adminButton, adminInput, adminLink } from "@/components/admin/admin-shell";
import { adminStore } from "@/lib/admin/admin-store";
import { requirePageSession } from "@/lib/admin/page-session";
import { parseSearchParams } from "@/lib/search/serving/params";
import { loadSearchIndex } from "@/lib/search/serving/server";
import type { SearchHit } from "@/lib/search/engine/types";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "文章 · 后台", robots: { index: false } };

const STATE_LABELS = { withdrawn: "已撤回", deleted: "已删除" } as const;

/** Find an article to correct, withdraw or delete; and every article editors have changed. */
export default async function ArticlesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { account, session } = await requirePageSession();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.slice(0, 200) : "";
  let hits: SearchHit[] = [];
  let total = 0;
  let problem: string | null = null;
  if (q.trim()) {
    try {
      const r = await (await loadSearchIndex()).searchAsync(parseSearchParams(new URLSearchParams({ q, group: "0", size: "30" })));
      hits = r.hits;
      total = r.total;
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  const changed = await adminStore().overlay();
  return (
    <AdminShell account={account} session={session} title="文章" current="/admin/articles">
      <form method="get" action="/admin/articles" className="mt-6 flex gap-2" role="search">
        <input name="q" defaultValue={q} placeholder="标题或正文里的词，或文章 id" aria-label="查找文章" className={adminInput} />
        <button type="submit" className={adminButton}>
          查找
        </button>
      </form>
      {problem && <p className="mt-3 text-sm text-red-800">{problem}</p>}
      {q.trim() && !problem && (
        <section className="mt-4" aria-label="查找结果">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">共 {total} 篇{total > hits.length ? `，显示前 ${hits.length} 篇` : ""}</p>
          <ul className="mt-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="admin-article-hits">
            {hits.map((h) => (
              <li key={h.id} className="flex items-baseline justify-between gap-3 py-1.5">
                <a href={`/admin/articles/${encodeURIComponent(h.id)}`} className={adminLink}>
                  {h.title}
                </a>
                <span className="shrink-0 text-xs text-zinc-500">
                  {[h.source, h.date].filter(Boolean).join(" · ")}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="mt-8" aria-labelledby="changed">
        <h2 id="changed" className="text-lg font-medium">
          编辑改动过的文章
        </h2>
        {changed.length === 0 ? (
          <p className="mt-2 text-sm text-zinc-500">还没有更正、撤回或删除。</p>
        ) : (
          <table className="mt-2 w-full text-sm" data-testid="overlay">
            <AdminTableHead labels={["标题", "状态", "谁", "何时（UTC）"]} />
            <tbody>
              {changed.map((e) => (
                <tr key={e.id} className="border-b border-zinc-100 dark:border-zinc-800" data-state={e.state ?? "corrected"}>
                  <td className="py-1.5">
                    <a href={`/admin/articles/${encodeURIComponent(e.id)}`} className={adminLink}>
                      {e.title}
                    </a>
                  </td>
                  <td>{e.state ? STATE_LABELS[e.state] : "已更正"}</td>
                  <td>{e.by ?? "—"}</td>
                  <td className="tabular-nums">{e.updated.replace("T", " ").slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AdminShell>
  );
}
