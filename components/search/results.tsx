import Link from "next/link";
import { Highlighted } from "@/components/text/highlighted";
import type { ArticleRef, SearchHit } from "@/lib/search/engine/types";
import { articleHref, type SearchState } from "@/lib/search/client/url";

export function Results({ hits, state, offset }: { hits: SearchHit[]; state: SearchState; offset: number }) {
  return (
    <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" start={offset + 1} aria-label="搜索结果">
      {hits.map((hit, i) => (
        <li key={hit.id} className="py-4">
          <article>
            <h2 className="text-lg leading-snug font-medium">
              <Link prefetch={false}
                href={`${articleHref(hit.id, state)}${hit.matchParagraph ? `#p${hit.matchParagraph}` : ""}`}
                data-result-link=""
                data-position={offset + i + 1}
                className="text-blue-800 underline-offset-4 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:text-blue-300"
              >
                <Highlighted parts={hit.titleParts} />
              </Link>
            </h2>
            <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-zinc-500 dark:text-zinc-400">
              {hit.author && <span>{hit.author}</span>}
              {hit.source && <span>{hit.source}</span>}
              {hit.date && <time dateTime={hit.date}>{hit.date}</time>}
            </p>
            {hit.snippets.map((s, i) => (
              <p key={i} className="mt-1.5 text-[15px] leading-7 text-zinc-700 dark:text-zinc-300">
                <Highlighted parts={s} />
                <span aria-hidden className="text-zinc-400">…</span>
              </p>
            ))}
            {hit.copies.length > 0 && <Copies copies={hit.copies} state={state} />}
          </article>
        </li>
      ))}
    </ol>
  );
}

/** "Also published by …": the other copies of a repost, each a link, sources named once. */
function Copies({ copies, state }: { copies: ArticleRef[]; state: SearchState }) {
  const SHOWN = 3;
  const named = copies.slice(0, SHOWN);
  return (
    <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400" data-testid="copies">
      <span>同文另见 </span>
      {named.map((c, i) => (
        <span key={c.id}>
          {i > 0 && "、"}
          <Link prefetch={false} href={articleHref(c.id, state)} className="text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300">
            {c.source ?? c.title}
            {c.date && <span className="text-zinc-500">（{c.date}）</span>}
          </Link>
        </span>
      ))}
      {copies.length > SHOWN && <span> 等</span>}
      <span>，共 {copies.length + 1} 处发布</span>
    </p>
  );
}
