// The search engine on the whole real corpus (~30k articles), skipped with a
// reason when ../shared/corpus is absent.
import { beforeAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/content/ingest";
import { SearchIndex } from "@/lib/search/engine";
import { parallelSegmenter } from "@/lib/search/segment-parallel";
import { HAVE_CORPUS, SKIP_REASON, corpusFiles } from "./corpus";
import { formatQuality, measureSearchQuality, sampleQueries } from "./search-quality";

if (!HAVE_CORPUS) console.log(SKIP_REASON);

describe.skipIf(!HAVE_CORPUS)("search engine on the real corpus", () => {
  let index: SearchIndex;

  beforeAll(async () => {
    const { articles } = await ingest(corpusFiles());
    index = await SearchIndex.build(articles, parallelSegmenter());
  }, 300_000);

  it("finds every article containing the query, returns only matching ones, treats scripts alike and puts title fragments first", () => {
    const queries = sampleQueries(index, 60);
    expect(queries.length).toBeGreaterThanOrEqual(300);
    const report = measureSearchQuality(index, queries);
    console.log(formatQuality(report));
    if (report.failures.length) console.log(report.failures.join("\n"));
    expect(report.recall).toBe(1);
    expect(report.precision).toBe(1);
    expect(report.crossScriptEqual).toBe(1);
    expect(report.titleFirst).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
