"use client";
// The reading page's content, rendered from the article's data in the
// server's HTML render (and hydrated in the browser) rather than as server
// components: a server component's elements are serialised into the page's
// RSC payload, read back and rendered again, and the payload is written into
// the page a second time; a client component's props are only its data. The
// body stays one HTML string (reading-body.ts).
import { CopyButton } from "@/components/article/copy-button";
import { MatchNavigator } from "@/components/article/match-navigator";
import { CollectToolbar } from "@/components/collections/collect-toolbar";
import { Highlighted } from "@/components/text/highlighted";
import type { Parts } from "@/lib/search/engine/highlight";
import type { ArticleRef, ArticleView } from "@/lib/search/engine/types";
import type { Citation } from "@/lib/search/serving/citation";
import { articleHref, searchHref, type SearchState } from "@/lib/search/client/url";

/** What the reading page shows of an article besides its body. */
export type ReadingArticle = Pick<ArticleView, "id" | "title" | "script" | "author" | "source" | "date" | "url" | "ocr" | "format" | "original" | "docNumber" | "docType" | "issuer" | "keywords" | "related" | "copies"> & { titleParts: Parts };

/** An article's original address as a link target: only http(s); a scraped `javascript:` or `data:` URL is not a link. */
function webUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

const FORMAT_LABELS: Record<string, string> = { docx: "Word", doc: "Word", wps: "WPS", pdf: "PDF", image: "图片" };

function formatLabel(format: string | null): string {
  return (format && FORMAT_LABELS[format]) ?? "文件";
}

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function ArticleList({ id, title, items, state }: { id: string; title: string; items: ArticleRef[]; state: SearchState }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      <ul className="mt-2 space-y-2" data-testid={id}>
        {items.map((r) => (
          <li key={r.id}>
            <a href={articleHref(r.id, { ...state, q: "" })} className="text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300">
              {r.title}
            </a>
            <span className="ml-2 text-sm text-zinc-500 dark:text-zinc-400">
              {[r.source, r.date].filter(Boolean).join(" · ")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReadingView({ article, state, q, refused, body, citation, qrSrc, pageUrl }: { article: ReadingArticle; state: SearchState; q?: string; refused?: string; /** The body as HTML (null: no paragraphs) and how many marks it has. */ body: { html: string; marks: number } | null; citation: Citation; qrSrc: string; pageUrl: string }) {
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16 pt-4">
      <nav aria-label="返回" className="mb-4 text-sm">
        <a href={searchHref(state, { page: state.page })} className="text-blue-800 underline-offset-4 hover:underline dark:text-blue-300">
          ← 返回{q ? "搜索结果" : "文章列表"}
        </a>
      </nav>
      <article lang={article.script === "Traditional" ? "zh-Hant" : "zh-CN"}>
        <h1 className="text-[1.65rem] font-semibold leading-snug tracking-wide">
          <Highlighted parts={article.titleParts} />
        </h1>
        <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-500 dark:text-zinc-400">
          {article.author && <span>作者：{article.author}</span>}
          {article.source && <span>来源：{article.source}</span>}
          {article.date && (
            <span>
              发布时间：<time dateTime={article.date}>{article.date}</time>
            </span>
          )}
          {article.docNumber && <span>文号：{article.docNumber}</span>}
          {article.docType && <span>文种：{article.docType}</span>}
          {article.issuer && article.issuer !== article.source && <span>发文机关：{article.issuer}</span>}
          {article.original && (
            <a href={`/articles/${encodeURIComponent(article.id)}/original`} className="no-print text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300" data-testid="original">
              下载原件（{formatLabel(article.format)}，{sizeLabel(article.original.bytes)}）
            </a>
          )}
          {webUrl(article.url) && (
            <a href={webUrl(article.url)!} rel="noopener noreferrer nofollow" target="_blank" className="no-print text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300">
              查看原文
            </a>
          )}
        </p>
        <CollectToolbar article={{ id: article.id, title: article.title, author: article.author, source: article.source, date: article.date, citation: citation.gbt7714 }} />
        {article.ocr && (
          <p role="note" className="mt-4 rounded border border-zinc-300 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
            本文文字由扫描件识别（OCR）得到，个别字词可能有误，引用前请核对原件。
          </p>
        )}
        {refused && (
          <p role="note" className="mt-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
            查询超出限制，未标出匹配（{refused}）
          </p>
        )}
        {q && (
          <div className="no-print sticky top-0 z-10 -mx-4 mt-4 border-y border-zinc-200 bg-white/95 px-4 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
            <MatchNavigator total={body?.marks ?? 0} />
          </div>
        )}
        <div className="reading mt-6 text-[18px] leading-[1.9] text-zinc-800 dark:text-zinc-200">
          {body === null && <p className="text-zinc-500">这篇文章只有标题，没有正文文字（原文可能只有图片或附件）。</p>}
          {body !== null && <div dangerouslySetInnerHTML={{ __html: body.html }} />}
        </div>
        <p className="print-only mt-8 border-t pt-3 text-sm" data-testid="print-citation">
          引用：{citation.gbt7714}
        </p>
      </article>
      <section aria-labelledby="cite" className="no-print mt-10 space-y-3 border-t border-zinc-200 pt-6 dark:border-zinc-800">
        <details data-testid="citation">
          <summary id="cite" className="cursor-pointer text-base font-semibold">
            引用本文
          </summary>
          <div className="mt-3 space-y-4 text-sm">
            {(
              [
                ["cite-gbt", "GB/T 7714-2015", citation.gbt7714],
                // Shown with the line ends a page's text has (HTML reads CR LF as LF: React would see the text differ when hydrating).
                ["cite-ris", "RIS（Zotero、EndNote、NoteExpress）", citation.ris.replaceAll("\r\n", "\n")],
                ["cite-bib", "BibTeX", citation.bibtex],
              ] as const
            ).map(([id, label, text]) => (
              <div key={id}>
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium">{label}</span>
                  <CopyButton targetId={id} label="复制" />
                </div>
                <pre id={id} className="mt-1 whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 font-[inherit] text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
                  {text}
                </pre>
              </div>
            ))}
          </div>
        </details>
        <details data-testid="qr">
          <summary className="cursor-pointer text-base font-semibold">手机扫码阅读</summary>
          {/* A lazy image in a closed <details>: the browser asks for it when the reader opens it. */}
          {/* eslint-disable-next-line @next/next/no-img-element -- an SVG made per request; next/image would only proxy it */}
          <img className="mt-3 w-44 rounded bg-white p-2" src={qrSrc} loading="lazy" width={176} height={176} alt={`本页二维码：${pageUrl}`} />
        </details>
      </section>
      {(article.keywords.length > 0 || article.related.length > 0 || article.copies.length > 0) && (
        <aside aria-label="延伸阅读" className="mt-12 space-y-8 border-t border-zinc-200 pt-6 dark:border-zinc-800">
          {article.keywords.length > 0 && (
            <section aria-labelledby="key-terms">
              <h2 id="key-terms" className="text-base font-semibold">
                关键词
              </h2>
              <ul className="mt-2 flex flex-wrap gap-2" data-testid="keywords">
                {article.keywords.map((k) => (
                  <li key={k}>
                    <a href={searchHref({ ...state, q: k, authors: [], sources: [], docTypes: [], issuers: [], from: "", to: "" })} className="inline-block rounded-full border border-zinc-300 px-3 py-1 text-sm text-blue-800 hover:bg-zinc-100 dark:border-zinc-700 dark:text-blue-300 dark:hover:bg-zinc-800">
                      {k}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {article.copies.length > 0 && (
            <ArticleList id="copies" title={`同文另见（${article.copies.length}）`} items={article.copies} state={state} />
          )}
          {article.related.length > 0 && <ArticleList id="related" title="相关文章" items={article.related} state={state} />}
        </aside>
      )}
    </main>
  );
}
