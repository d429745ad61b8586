// `npx tsx bench/studies/query-shapes.ts [--scale N] [--dir D]`: each mixed
// query shape's first run and warm median on the real corpus (memory store,
// loaded back as a server loads it), with its total. --dir keeps the built
// index there and reuses it on the next run.
import { existsSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { Article } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { buildFull } from "@/lib/search/build/full";
import { parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import { openIndex, saveGeneration } from "@/lib/search/storage/disk-store";
import type { SearchRequest } from "@/lib/search/engine/types";
import { HAVE_CORPUS, SKIP_REASON, corpusFiles } from "../../testkit/corpus";
import { median } from "../parts/stats";
import { MIXED } from "../parts/mixed-queries";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const scale = Number(opt("scale", "1"));
const dir = opt("dir", `/tmp/qs/x${scale}`);
const only = opt("q", "");
const profile = opt("profile", "");
const repeat = Number(opt("repeat", "5"));

(async () => {
  if (!HAVE_CORPUS) return console.error(SKIP_REASON);
  if (!existsSync(`${dir}/CURRENT`)) {
    const { articles: one } = await ingest(corpusFiles());
    const articles: Article[] = [];
    for (let k = 0; k < scale; k++) for (const a of one) articles.push(k === 0 ? a : { ...a, id: `${a.id}~r${k}` });
    await saveGeneration(dir, await buildFull(articles, parallelSegmenter()));
  }
  const index = await openIndex(dir);
  await index.warmTexts();
  const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };
  const rows: string[] = [];
  const session = new Session();
  if (profile) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  for (const q of only ? [only] : MIXED) {
    let t = performance.now();
    const r = index.searchWithDocs({ ...base, q }).response;
    const first = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < repeat; i++) {
      t = performance.now();
      index.searchWithDocs({ ...base, q }).response;
      warm.push(performance.now() - t);
    }
    rows.push(`${JSON.stringify(q).padEnd(44)} total ${String(r.total).padStart(7)}  first ${first.toFixed(1).padStart(7)} ms  warm ${median(warm).toFixed(1).padStart(7)} ms`);
    console.log(rows.at(-1));
  }
  if (profile) writeFileSync(profile, JSON.stringify((await session.post("Profiler.stop")).profile));
})();
