import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PdfPage } from "@/components/article/pdf-page";
import { SiteHeader } from "@/components/layout/site-header";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { loadSearchIndex } from "@/lib/search/serving/server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = articleIdFrom((await params).id);
  const article = id ? await (await loadSearchIndex()).getAsync(id) : null;
  return { title: article ? `${article.title}（原件）` : "找不到文章" };
}

/** /articles/<id>/pdf?page=N: a page of the article's original PDF (the reading page's 第 N 页 links here). */
export default async function OriginalPdfPage({ params, searchParams }: Props) {
  const id = articleIdFrom((await params).id);
  if (!id) notFound();
  const article = await (await loadSearchIndex()).getAsync(id);
  if (!article || article.original?.type !== "application/pdf") notFound();
  const raw = (await searchParams).page;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(typeof raw === "string" ? raw : "1", 10) || 1));
  const original = `/articles/${encodeURIComponent(id)}/original`;
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-4xl px-4 pb-16 pt-4">
        <nav aria-label="返回" className="mb-4 flex flex-wrap gap-x-6 text-sm">
          <Link prefetch={false} href={`/articles/${encodeURIComponent(id)}`} className="text-blue-800 underline-offset-4 hover:underline dark:text-blue-300">
            ← 返回文章
          </Link>
          <a href={original} className="text-blue-800 underline-offset-4 hover:underline dark:text-blue-300">
            下载原件（{article.original.name}）
          </a>
        </nav>
        <h1 className="mb-4 text-xl font-semibold">{article.title}</h1>
        <noscript>
          <p className="text-zinc-600">在浏览器中查看原件的某一页需要 JavaScript；请下载原件，翻到第 {page} 页。</p>
        </noscript>
        <PdfPage src={original} page={page} />
      </main>
    </>
  );
}
