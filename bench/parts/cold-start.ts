// Run as a fresh process by bench/engine.ts: loads the query segmenter, the tables and the
// index from INDEX_DIR, answers one query, and reports timings and memory.
import { openIndex } from "@/lib/search/storage/disk-store";
import { warmNormalizer } from "@/lib/text/normalize";
import { loadQuerySegmenter } from "@/lib/text/segment";

(async () => {
  const t0 = performance.now();
  let t1 = t0;
  // As the server does it: the query segmenter loads while the index files are read.
  const index = await openIndex(undefined, (segmenter) => {
    loadQuerySegmenter(segmenter);
    warmNormalizer();
    t1 = performance.now();
  });
  const t2 = performance.now();
  const res = index.search({ q: process.argv[2] ?? "党建", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 });
  const t3 = performance.now();
  global.gc?.();
  process.stdout.write(
    JSON.stringify({ warmMs: t1 - t0, loadMs: t2 - t1, firstQueryMs: t3 - t2, total: res.total, rssMB: process.memoryUsage().rss / 1e6, uptimeMs: process.uptime() * 1000 }) + "\n",
  );
})();
