import type { Metadata } from "next";
import { SoftNavigation } from "@/components/layout/soft-navigation";
import { PendingProvider } from "@/components/search/pending";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "党建文库检索", template: "%s · 党建文库检索" },
  description: "党建文章全文检索：简繁通搜，逐词高亮。",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="zh-CN">
      <head>
        {/* Browsers offer to add the site as a search engine (on every page, the not-found ones included). */}
        <link rel="search" type="application/opensearchdescription+xml" title="党建文库检索" href="/opensearch.xml" />
      </head>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900">
          跳到主要内容
        </a>
        <PendingProvider>{children}</PendingProvider>
        <SoftNavigation />
      </body>
    </html>
  );
}
