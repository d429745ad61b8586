import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { PageNotices } from "@/components/search/page-notices";
import { pageResponse } from "@/components/search/results-html";
import { SearchView } from "@/components/search/search-view";
import { feedTitle } from "@/lib/search/serving/feed";
import { readSearchPage } from "@/lib/search/serving/page-state";
import { loadSearchIndex } from "@/lib/search/serving/server";
import { feedHref, searchTitle } from "@/lib/search/client/url";
import { config } from "@/lib/config/env.cjs";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { state, request, queryProblem } = readSearchPage(await searchParams);
  const feed = queryProblem ? {} : { alternates: { types: { "application/atom+xml": [{ url: feedHref(request), title: feedTitle(request) }] } } };
  return { title: searchTitle(state.q), ...feed };
}

export default async function SearchPage({ searchParams }: Props) {
  const { state, request, problems, queryProblem } = readSearchPage(await searchParams);
  const index = await loadSearchIndex();
  return (
    <SearchView
      state={state}
      answer={JSON.stringify(pageResponse(await index.searchAsync(request)))}
      renderId={randomUUID()}
      refused={queryProblem !== null}
      notices={<PageNotices problems={problems} queryProblem={queryProblem ? queryProblem.message : null} />}
      span={index.yearSpan()}
      // The day only (UTC): the date presets need no more, and the cluster keeps rendered pages per day (server/page-cache.cjs).
      today={new Date().toISOString().slice(0, 10)}
      analytics={config().analytics}
    />
  );
}
