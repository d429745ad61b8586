// GET /feed.xml's answer, through the one mapping of errors (api-answers.ts
// `answer`). Apart from the JSON answers so that the feed's XML libraries load
// only when a feed is asked for, not in every server at start-up.
import "server-only";
import { answer, type ApiAnswer } from "@/lib/search/serving/api-answers";
import { atomFeed, FEED_SIZE } from "@/lib/search/serving/feed";
import { parseSearchParams } from "@/lib/search/serving/params";

/** GET /feed.xml?q=&author=&source=&from=&to=: the newest matching articles as Atom, links made absolute against `origin`. */
export function feedAnswer(params: URLSearchParams, origin: string): Promise<ApiAnswer> {
  return answer(
    () => {
      const own = new URLSearchParams(params);
      // A feed is always the newest first page; the request may not choose another order or page.
      for (const key of ["sort", "page", "size"]) own.delete(key);
      return { ...parseSearchParams(own), sort: "newest" as const, page: 1, size: FEED_SIZE };
    },
    async (index, req) => ({
      status: 200,
      body: null,
      text: atomFeed(req, await index.searchAsync(req), index.manifest, origin),
      headers: {
        "Content-Type": "application/atom+xml; charset=utf-8",
        // Feed readers poll: a minute's caching costs nothing, and a new generation shows within it.
        "Cache-Control": "public, max-age=60",
      },
    }),
  );
}
