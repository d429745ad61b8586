import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "党建文库检索", template: "%s · 党建文库检索" },
  description: "党建文章全文检索：简繁通搜，逐词高亮。",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="zh-CN">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">{children}</body>
    </html>
  );
}
