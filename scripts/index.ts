// `npm run index`: reads CONTENT_DIR, builds the search index and writes it to
// INDEX_DIR atomically. Prints what it did; content problems are reported and
// skipped, as in `npm run ingest`.
import { formatProblem } from "@/lib/content/errors";
import { contentDir, ingest } from "@/lib/content/ingest";
import { indexDir, SearchIndex } from "@/lib/search/engine";
import { parallelSegmenter } from "@/lib/search/segment-parallel";
import { loadSegmenter } from "@/lib/text/segment";

async function main() {
  const started = performance.now();
  const sources = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const targets = sources.length ? sources : [contentDir()];
  const result = await ingest(targets);
  for (const p of result.errors) process.stderr.write(`error: ${formatProblem(p)}\n`);
  const ingested = performance.now();
  loadSegmenter();
  const index = await SearchIndex.build(result.articles, parallelSegmenter());
  const built = performance.now();
  const dir = indexDir();
  const bytes = await index.save(dir);
  const seconds = (performance.now() - started) / 1000;
  const m = index.manifest;
  const utf8 = index.articles.reduce((n, a) => n + Buffer.byteLength(a.title) + a.paragraphs.reduce((k, p) => k + Buffer.byteLength(p) + 1, 0), 0);
  process.stdout.write(
    `index: ${m.articles} articles (${result.errors.length} inputs skipped), ${m.ngrams + m.words} distinct terms ` +
      `(${m.ngrams} character n-grams, ${m.words} words), ${(m.chars / 1e6).toFixed(2)}M chars, ` +
      `${seconds.toFixed(1)} s (read ${((ingested - started) / 1000).toFixed(1)} s, index ${((built - ingested) / 1000).toFixed(1)} s, ` +
      `write ${((performance.now() - built) / 1000).toFixed(1)} s; ${(utf8 / 1e6 / seconds).toFixed(1)} MB/s of text), ` +
      `${(bytes / 1e6).toFixed(1)} MB in ${dir}\n`,
  );
  process.stdout.write(`index: steps ${Object.entries(index.timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}\n`);
}

main().catch((e) => {
  process.stderr.write(`index: ${(e as Error).message}\n`);
  process.exit(1);
});
