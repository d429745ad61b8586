import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { citeArticle, readingUrl } from "@/lib/search/serving/citation";
import { pageOrigin } from "@/lib/search/serving/origin";
import { SiteHeader } from "@/components/layout/site-header";
import { SearchBox } from "@/components/search/search-box";
import { readingBodyHtml } from "@/components/article/reading-body";
import { ReadingView } from "@/components/article/reading-view";
import { articleIdFrom } from "@/lib/search/serving/article-id";
import { highlightQuery } from "@/lib/search/serving/params";
import { loadSearchIndex } from "@/lib/search/serving/server";
import { stateFromParams } from "@/lib/search/client/url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The article as this request shows it. The metadata (its title) and the page
 * ask for the same view, so React's per-request cache makes it once: each view
 * reads the article's text from the index's file and highlights it.
 */
const articleView = cache(async (id: string, q: string | undefined) => (await loadSearchIndex()).getAsync(id, q));

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const id = articleIdFrom((await params).id);
  const article = id ? await articleView(id, highlightQuery(stateFromParams(await searchParams).q.trim()).q) : null;
  return { title: article ? article.title : "找不到文章" };
}

export default async function ArticlePage({ params, searchParams }: Props) {
  const id = articleIdFrom((await params).id);
  if (!id) notFound();
  const state = stateFromParams(await searchParams);
  const { q, refused } = highlightQuery(state.q.trim());
  const article = await articleView(id, q);
  if (!article) notFound();
  const origin = pageOrigin(await headers());
  const citation = citeArticle(article, origin, new Date());
  const pageUrl = readingUrl(origin, article.id);
  // The page's own address for phones (with the highlights of the search it came from), made only when opened (qr/route.ts).
  const qrSrc = `/articles/${encodeURIComponent(article.id)}/qr${q ? `?q=${encodeURIComponent(q)}` : ""}`;
  const titleParts = article.titleParts ?? [{ text: article.title, match: false }];
  const paragraphs = article.paragraphs ?? article.body.split("\n").filter(Boolean).map((p) => [{ text: p, match: false }]);
  // One HTML string (reading-body.ts): hundreds of paragraphs as React elements made most of this page's server time.
  // Its marks are numbered through the body so the navigator can move between them.
  const body = readingBodyHtml(paragraphs, article.pages ? { href: `/articles/${encodeURIComponent(article.id)}/pdf`, pages: article.pages } : null);
  return (
    <>
      <SiteHeader>
        <SearchBox state={{ ...state, page: 1 }} />
      </SiteHeader>
      <ReadingView
        article={{
          id: article.id,
          title: article.title,
          titleParts,
          script: article.script,
          author: article.author,
          source: article.source,
          date: article.date,
          url: article.url,
          ocr: article.ocr,
          format: article.format,
          original: article.original,
          docNumber: article.docNumber,
          docType: article.docType,
          issuer: article.issuer,
          keywords: article.keywords,
          related: article.related,
          copies: article.copies,
        }}
        state={state}
        q={q}
        refused={refused}
        body={paragraphs.length > 0 ? body : null}
        citation={citation}
        qrSrc={qrSrc}
        pageUrl={pageUrl}
      />
    </>
  );
}
