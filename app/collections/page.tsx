import type { Metadata } from "next";
import { SiteHeader } from "@/components/layout/site-header";
import { CollectionsView } from "@/components/collections/collections-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "素材夹" };

/** 素材夹: excerpts collected on reading pages, kept in this browser. */
export default function CollectionsPage() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-3xl px-4 pb-16 pt-4">
        <h1 className="text-2xl font-semibold">素材夹</h1>
        <p className="no-print mt-1 text-sm text-zinc-600 dark:text-zinc-300">摘录保存在本机浏览器中（不上传），可导出为 Word 或 Markdown，每条都附 GB/T 7714 引文和原文链接。</p>
        <noscript>
          <p className="mt-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">素材夹保存在浏览器中，需要启用 JavaScript。</p>
        </noscript>
        <CollectionsView />
      </main>
    </>
  );
}
