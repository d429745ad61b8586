import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import type { Account, SessionRow } from "@/lib/admin/store";

const ROLE_LABELS = { editor: "编辑", admin: "管理员" } as const;

export const adminButton = "h-8 shrink-0 whitespace-nowrap rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const adminInput = "h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
export const adminLink = "text-blue-800 underline underline-offset-4 dark:text-blue-300";

/** Every back-office page: who is signed in, sign-out, and the sections this role may open. */
export function AdminShell({ account, session, title, current, children }: { account: Account; session: SessionRow; title: string; current: string; children: ReactNode }) {
  const sections = [
    { href: "/admin", label: "上传" },
    { href: "/admin/articles", label: "文章" },
    { href: "/admin/runs", label: "收录报告" },
    ...(account.role === "admin"
      ? [
          { href: "/admin/searches", label: "读者搜索" },
          { href: "/admin/accounts", label: "账号与记录" },
        ]
      : []),
  ];
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16 pt-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold">{title}</h1>
          <PostForm action="/api/admin/logout" csrf={session.csrf} className="flex items-center gap-3 text-sm">
            <span data-testid="signed-in-as">
              {account.name}（{ROLE_LABELS[account.role]}）
            </span>
            <button type="submit" className={adminButton}>
              退出登录
            </button>
          </PostForm>
        </div>
        <nav aria-label="后台" className="mt-3 flex flex-wrap gap-1 border-b border-zinc-200 text-sm dark:border-zinc-800">
          {sections.map((s) => (
            <a
              key={s.href}
              href={s.href}
              aria-current={s.href === current ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 ${s.href === current ? "border-red-700 font-medium text-red-800 dark:text-red-300" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400"}`}
            >
              {s.label}
            </a>
          ))}
        </nav>
        {children}
      </main>
    </>
  );
}

/** A page's outcome line from ?done= or ?error=. */
export function Flash({ done, error }: { done?: string; error?: string }) {
  if (error)
    return (
      <p role="alert" data-testid="flash-error" className="mt-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
        {error}
      </p>
    );
  if (done)
    return (
      <p role="status" data-testid="flash-done" className="mt-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-200">
        {done}
      </p>
    );
  return null;
}

/** A state-changing form of the back office: it posts the session's anti-forgery token first, then its hidden fields, then what it holds (inputs, a button). */
export function PostForm({ action, csrf, fields = {}, className, testId, children }: { action: string; csrf: string; fields?: Record<string, string>; className?: string; testId?: string; children: ReactNode }) {
  return (
    <form method="post" action={action} className={className} data-testid={testId}>
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

/** A back-office table's header row (an empty label for a column of buttons). */
export function AdminTableHead({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr className="border-b border-zinc-300 text-left dark:border-zinc-700">
        {labels.map((label, i) => (
          <th key={i} className="py-1">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
