// The server process's one search index: loaded from INDEX_DIR once (at start-up
// through instrumentation.ts), shared by every request. A failed load is not
// cached, so a later request retries once the index exists.
import { indexDir, SearchIndex } from "@/lib/search/engine";
import { warmNormalizer } from "@/lib/text/normalize";
import { loadSegmenter } from "@/lib/text/segment";

const globalKey = Symbol.for("dangjian-search.index");
type Holder = { loading?: Promise<SearchIndex> };
const holder = ((globalThis as Record<symbol, Holder>)[globalKey] ??= {});

export function loadSearchIndex(): Promise<SearchIndex> {
  holder.loading ??= (async () => {
    const index = await SearchIndex.load(indexDir(), () => {
      loadSegmenter();
      warmNormalizer();
    });
    void index.warmTexts();
    return index;
  })().catch((e) => {
    holder.loading = undefined;
    throw e;
  });
  return holder.loading;
}
