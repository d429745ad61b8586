import { resultsHtml, type ResultHit } from "@/components/search/results-html";
import type { SearchState } from "@/lib/search/client/url";

/** The hits as a numbered list: one HTML string (results-html.ts), the same on the server and in the browser. */
export function Results({ hits, state, offset }: { hits: ResultHit[]; state: SearchState; offset: number }) {
  return <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" start={offset + 1} aria-label="搜索结果" dangerouslySetInnerHTML={{ __html: resultsHtml(hits, state, offset) }} />;
}
