import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SiteHeader } from "@/components/layout/site-header";
import { pageSession } from "@/lib/admin/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "编辑登录", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const MESSAGES: Record<string, string> = {
  // The same words for a wrong name and a wrong password.
  invalid: "用户名或密码不正确。",
  throttled: "尝试次数过多，请 15 分钟后再试。",
};

/** The back office's sign-in form (a plain POST: it works without JavaScript). */
export default async function LoginPage({ searchParams }: Props) {
  if (await pageSession()) redirect("/admin");
  const raw = await searchParams;
  const error = typeof raw.error === "string" ? MESSAGES[raw.error] : undefined;
  const field = "mt-1 h-11 w-full rounded-md border border-zinc-300 bg-white px-3 text-[15px] dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-sm px-4 pb-16 pt-10">
        <h1 className="text-2xl font-semibold">编辑登录</h1>
        {raw["signed-out"] !== undefined && (
          <p role="status" className="mt-4 text-sm text-zinc-600 dark:text-zinc-300">
            已退出登录。
          </p>
        )}
        {error && (
          <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200" data-testid="login-error">
            {error}
          </p>
        )}
        <form method="post" action="/api/admin/login" className="mt-6 space-y-4">
          <label className="block text-[15px] font-medium">
            用户名
            <input name="name" autoComplete="username" required maxLength={64} className={field} />
          </label>
          <label className="block text-[15px] font-medium">
            密码
            <input name="password" type="password" autoComplete="current-password" required maxLength={256} className={field} />
          </label>
          <button type="submit" className="h-11 w-full rounded-md bg-red-700 text-[15px] font-medium text-white hover:bg-red-800">
            登录
          </button>
        </form>
        <p className="mt-6 text-xs text-zinc-500">账号由管理员用 <code>npm run users -- add 名字 --role editor</code> 建立。</p>
      </main>
    </>
  );
}
