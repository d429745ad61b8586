import type { Metadata } from "next";
import { AdminShell, adminButton, adminInput, Flash, PostForm } from "@/components/admin/admin-shell";
import { UploadPanel } from "@/components/admin/upload-panel";
import { requirePageSession } from "@/lib/admin/page-session";
import { config } from "@/lib/config/env.cjs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "后台", robots: { index: false } };

/** The back office's first page: upload files into the library. */
export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { account, session } = await requirePageSession();
  const sp = await searchParams;
  const text = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string).slice(0, 1500) : undefined);
  return (
    <AdminShell account={account} session={session} title="后台" current="/admin">
      <Flash done={text("done")} error={text("error")} />
      <section aria-labelledby="upload" className="mt-6">
        <h2 id="upload" className="text-lg font-medium">
          上传文章
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">上传的文件按内容识别格式，原件保存在服务器上（只以下载方式提供），几秒内即可检索。</p>
        <UploadPanel csrf={session.csrf} maxMB={Math.round(config().uploadMaxBytes / 1048576)} />
      </section>
      <section aria-labelledby="import" className="mt-10">
        <h2 id="import" className="text-lg font-medium">
          从网上导入
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">贴入一个网页、网站的 sitemap 或 RSS/Atom 订阅的网址。按 robots.txt 的规定、每页间隔一秒礼貌抓取，一次最多 100 页；内网和本机地址不会抓取。</p>
        <PostForm action="/api/admin/import" csrf={session.csrf} className="mt-3 flex gap-2" testId="import-form">
          <input name="url" type="url" required placeholder="https://…" aria-label="要导入的网址" className={adminInput} />
          <button type="submit" className={adminButton}>
            导入
          </button>
        </PostForm>
      </section>
    </AdminShell>
  );
}
