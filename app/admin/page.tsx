import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { UploadPanel } from "@/components/admin/upload-panel";
import { requirePageSession } from "@/lib/admin/page-session";
import { config } from "@/lib/config/env.cjs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "后台", robots: { index: false } };

/** The back office's first page: upload files into the library. */
export default async function AdminPage() {
  const { account, session } = await requirePageSession();
  return (
    <AdminShell account={account} session={session} title="后台" current="/admin">
      <section aria-labelledby="upload" className="mt-6">
        <h2 id="upload" className="text-lg font-medium">
          上传文章
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">上传的文件按内容识别格式，原件保存在服务器上（只以下载方式提供），几秒内即可检索。</p>
        <UploadPanel csrf={session.csrf} maxMB={Math.round(config().uploadMaxBytes / 1048576)} />
      </section>
    </AdminShell>
  );
}
