import type { Metadata } from "next";
import { AdminShell, AdminTableHead, adminButton, Flash, PostForm } from "@/components/admin/admin-shell";
import { adminStore } from "@/lib/admin/admin-store";
import { requirePageSession } from "@/lib/admin/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "收录报告 · 后台", robots: { index: false } };

const TRIGGERS: Record<string, string> = { upload: "上传", correction: "更正", withdrawal: "撤回", restore: "恢复", deletion: "删除", rerun: "重新处理", synonyms: "同义词", command: "命令行", watch: "自动监视", import: "导入" };

/** The ingest report: recent index runs with their counts, and every file that failed in the latest, with why and a button to read it again. */
export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { account, session } = await requirePageSession();
  const sp = await searchParams;
  const runs = await adminStore().runs(30);
  const failing = runs[0]?.errors ?? [];
  return (
    <AdminShell account={account} session={session} title="收录报告" current="/admin/runs">
      <Flash done={typeof sp.done === "string" ? sp.done.slice(0, 500) : undefined} />
      <section className="mt-6" aria-labelledby="failing">
        <h2 id="failing" className="text-lg font-medium">
          没能收录的文件（最近一次索引）
        </h2>
        {failing.length === 0 ? (
          <p className="mt-2 text-sm text-zinc-500">{runs.length ? "没有。" : "还没有后台记录的索引。"}</p>
        ) : (
          <table className="mt-2 w-full text-sm" data-testid="failing-files">
            <AdminTableHead labels={["文件", "原因", ""]} />
            <tbody>
              {failing.map((f) => (
                <tr key={`${f.file}:${f.line ?? 0}`} className="border-b border-zinc-100 align-top dark:border-zinc-800">
                  <td className="py-1.5 pr-2 break-all">
                    {f.file}
                    {f.line ? `:${f.line}` : ""}
                  </td>
                  <td className="pr-2">{f.message}</td>
                  <td className="text-right">
                    <PostForm action="/api/admin/rerun" csrf={session.csrf} fields={{ file: f.file }}>
                      <button type="submit" className={adminButton}>
                        重新处理
                      </button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="mt-8" aria-labelledby="runs">
        <h2 id="runs" className="text-lg font-medium">
          最近的索引
        </h2>
        <div className="mt-2 overflow-x-auto">
        <table className="w-full whitespace-nowrap text-sm tabular-nums [&_td]:pr-4 [&_th]:pr-4" data-testid="index-runs">
          <AdminTableHead labels={["时间（UTC）", "起因", "谁", "新增", "改动", "移除", "文章总数", "失败文件", "用时", "版本"]} />
          <tbody>
            {runs.map((r, i) => (
              <tr key={i} className="border-b border-zinc-100 dark:border-zinc-800">
                <td className="py-1">{r.at.replace("T", " ").slice(0, 19)}</td>
                <td>{r.trigger.split(", ").map((t) => TRIGGERS[t] ?? t).join("、")}</td>
                <td>{r.actor ?? "—"}</td>
                <td>{r.kind === "full" ? "全量" : r.added}</td>
                <td>{r.changed}</td>
                <td>{r.deleted}</td>
                <td>{r.articles}</td>
                <td>{r.errors.length}</td>
                <td>{r.seconds.toFixed(1)} s</td>
                <td className="text-xs">{r.generation ?? "未变"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </section>
    </AdminShell>
  );
}
