import type { Metadata } from "next";
import { AdminShell, AdminTableHead, adminButton, PostForm } from "@/components/admin/admin-shell";
import { redirect } from "next/navigation";
import { adminStore } from "@/lib/admin/admin-store";
import { requirePageSession } from "@/lib/admin/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "账号与记录 · 后台", robots: { index: false } };

const ROLE_LABELS = { editor: "编辑", admin: "管理员" } as const;
/** The audit log's actions as the page says them (the log keeps the codes). */
const ACTION_LABELS: Record<string, string> = {
  "sign-in": "登录",
  "sign-in failed": "登录失败",
  "sign-out": "退出登录",
  "account added": "添加账号",
  "account disabled": "停用账号",
  "account enabled": "启用账号",
  "password changed": "修改密码",
  upload: "上传",
  "upload refused": "上传被拒",
  "article correct": "更正文章",
  "article withdraw": "撤回文章",
  "article restore": "恢复文章",
  "article delete": "删除文章",
  rerun: "重新处理文件",
  "synonym added": "添加同义词",
  import: "导入网页",
};

/** For admins: the accounts (disable, enable) and the audit log. */
export default async function AccountsPage() {
  const { account, session } = await requirePageSession();
  const store = adminStore();
  const admin = account.role === "admin";
  if (!admin) redirect("/admin");
  const button = adminButton;
  return (
    <AdminShell account={account} session={session} title="账号与记录" current="/admin/accounts">
            <section aria-labelledby="accounts" className="mt-8">
              <h2 id="accounts" className="text-lg font-medium">
                账号
              </h2>
              <table className="mt-2 w-full text-sm" data-testid="accounts">
                <AdminTableHead labels={["用户名", "角色", "状态", "建立于", ""]} />
                <tbody>
                  {(await store.accounts()).map((a) => (
                    <tr key={a.id} className="border-b border-zinc-100 dark:border-zinc-800">
                      <td className="py-1.5">{a.name}</td>
                      <td>{ROLE_LABELS[a.role]}</td>
                      <td>{a.disabled ? "已停用" : "正常"}</td>
                      <td className="tabular-nums">{a.created.slice(0, 10)}</td>
                      <td className="text-right">
                        {a.id !== account.id && (
                          <PostForm action="/api/admin/accounts" csrf={session.csrf} fields={{ name: a.name, action: a.disabled ? "enable" : "disable" }}>
                            <button type="submit" className={button}>
                              {a.disabled ? "启用" : "停用"}
                            </button>
                          </PostForm>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="audit" className="mt-8">
              <div className="flex items-baseline justify-between gap-2">
                <h2 id="audit" className="text-lg font-medium">
                  操作记录（最近 100 条）
                </h2>
                <a href="/api/admin/audit" download className="text-sm text-blue-800 underline underline-offset-4 dark:text-blue-300" data-testid="audit-csv">
                  导出全部（CSV）
                </a>
              </div>
              <div className="mt-2 overflow-x-auto">
              <table className="w-full whitespace-nowrap text-sm [&_td]:pr-4 [&_th]:pr-4" data-testid="audit-log">
                <AdminTableHead labels={["时间（UTC）", "谁", "做了什么", "对象"]} />
                <tbody>
                  {(await store.auditLog(100)).map((e) => (
                    <tr key={e.id} className="border-b border-zinc-100 dark:border-zinc-800">
                      <td className="py-1 tabular-nums">{e.at.replace("T", " ").slice(0, 19)}</td>
                      <td>{e.actor ?? "—"}</td>
                      <td data-action={e.action}>{ACTION_LABELS[e.action] ?? e.action}</td>
                      <td>{e.target ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            </section>

    </AdminShell>
  );
}
