// `npx tsx bench/studies/pg-verify.ts [--scale N] [--queries N]`: where should the
// postgres backend check long terms (3+ characters) against the text, once
// the n-gram postings have narrowed the candidates? Measured both ways on
// the real corpus, same candidates, same PostgreSQL on loopback:
//   in SQL:  SELECT doc FROM texts WHERE doc = ANY($1) AND strpos(norm, $2) > 0
//   fetched: SELECT doc, norm FROM texts WHERE doc = ANY($1), then indexOf here
// Prints medians and p95 per candidate-count band and the bytes each moves.
// --storage external keeps the texts uncompressed (no pglz to undo per row).
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ingest } from "@/lib/content/ingest";
import { searchableText } from "@/lib/search/formats/article-record";
import { NgramIndex } from "@/lib/search/formats/ngram-index";
import { CopyWriter } from "@/lib/search/storage/pg-copy";
import { cut } from "@/lib/text/segment";
import { CORPUS_DIR, HAVE_CORPUS, corpusFiles } from "../../testkit/corpus";
import { seededRandom } from "../../testkit/search-quality";
import { startPostgres } from "../../testkit/postgres";
import { fmt, median, quantile } from "../parts/stats";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);

async function main() {
  if (!HAVE_CORPUS) {
    console.error(`pg-verify: no corpus at ${CORPUS_DIR}; set CORPUS_DIR`);
    process.exit(2);
  }
  const scale = Number(opt("scale", "1"));
  const perBand = Number(opt("queries", "30"));
  const { articles } = await ingest(corpusFiles());
  const base = articles.map(searchableText);
  const texts: string[] = [];
  for (let k = 0; k < scale; k++) texts.push(...base);
  const ngrams = NgramIndex.build(texts);
  // Long terms drawn from the texts (jieba words of 3+ characters, and 3–5 character substrings), by candidate count.
  const rand = seededRandom(20261129);
  const bands: Array<[string, number, number]> = [
    ["< 100 candidates", 1, 100],
    ["100–1,000", 100, 1000],
    ["1,000–10,000", 1000, 10_000],
    ["≥ 10,000", 10_000, Infinity],
  ];
  const terms = new Map<string, string[]>(bands.map(([b]) => [b, []]));
  for (let tries = 0; tries < 200_000 && [...terms.values()].some((t) => t.length < perBand); tries++) {
    const text = base[rand(base.length)];
    const lines = text.split("\n").filter((l) => l.length >= 8);
    if (!lines.length) continue;
    const line = lines[rand(lines.length)];
    const words = cut(line).filter((w) => w.length >= 3 && /^\p{Script=Han}+$/u.test(w));
    const at = rand(Math.max(1, line.length - 5));
    const term = words.length && rand(2) === 0 ? words[rand(words.length)] : line.slice(at, at + 3 + rand(3));
    if (!/^\p{Script=Han}{3,}$/u.test(term)) continue;
    const n = ngrams.candidates(term).length;
    const band = bands.find(([, lo, hi]) => n >= lo && n < hi)![0];
    const list = terms.get(band)!;
    if (list.length < perBand && !list.includes(term)) list.push(term);
  }

  const pg = await startPostgres();
  const db = new Client({ connectionString: pg.url });
  await db.connect();
  try {
    const storage = opt("storage", "extended");
    if (!["extended", "external"].includes(storage)) throw new Error(`pg-verify: --storage must be extended or external, not ${storage}`);
    await db.query(`CREATE TABLE texts (doc integer NOT NULL, norm text NOT NULL); ALTER TABLE texts ALTER COLUMN norm SET STORAGE ${storage.toUpperCase()}`);
    const stream = db.query(copyFrom("COPY texts (doc, norm) FROM STDIN (FORMAT binary)"));
    const w = new CopyWriter(stream, ["int4", "bytes"]);
    for (let d = 0; d < texts.length; d++) await w.row([d, texts[d]]);
    await w.end();
    await db.query("ALTER TABLE texts ADD PRIMARY KEY (doc); ANALYZE texts");
    const size = (await db.query("SELECT pg_total_relation_size('texts') AS b")).rows[0].b;
    console.log(`pg-verify: ×${scale}, ${texts.length} texts, ${(Number(size) / 1e6).toFixed(0)} MB in PostgreSQL (storage ${storage}); ${perBand} terms per band`);
    console.log("| candidates | terms | in SQL p50 / p95 ms | fetched p50 / p95 ms | fetched MB per query (median) | fetched ÷ SQL |");
    console.log("|---|---|---|---|---|---|");
    for (const [band] of bands) {
      const list = terms.get(band)!;
      if (!list.length) continue;
      const sqlTimes: number[] = [];
      const fetchTimes: number[] = [];
      const bytes: number[] = [];
      for (const term of list) {
        const cands = Array.from(ngrams.candidates(term));
        // Alternating, a warm-up each, three runs each: medians per term.
        const one = { sql: [] as number[], fetched: [] as number[] };
        let agreed = true;
        for (let run = 0; run < 4; run++) {
          let t = performance.now();
          const a = await db.query<{ doc: number }>("SELECT doc FROM texts WHERE doc = ANY($1::int[]) AND strpos(norm, $2) > 0 ORDER BY doc", [cands, term]);
          const sqlMs = performance.now() - t;
          t = performance.now();
          const b = await db.query<{ doc: number; norm: string }>("SELECT doc, norm FROM texts WHERE doc = ANY($1::int[])", [cands]);
          const kept = b.rows.filter((r) => r.norm.includes(term)).map((r) => r.doc).sort((x, y) => x - y);
          const fetchMs = performance.now() - t;
          if (run === 0) {
            bytes.push(b.rows.reduce((n, r) => n + Buffer.byteLength(r.norm), 0) / 1e6);
            agreed = JSON.stringify(a.rows.map((r) => r.doc)) === JSON.stringify(kept);
            continue;
          }
          one.sql.push(sqlMs);
          one.fetched.push(fetchMs);
        }
        if (!agreed) throw new Error(`pg-verify: the two ways disagree on ${term}`);
        sqlTimes.push(median(one.sql));
        fetchTimes.push(median(one.fetched));
      }
      console.log(
        `| ${band} | ${list.length} | ${fmt(median(sqlTimes), 1)} / ${fmt(quantile(sqlTimes, 0.95), 1)} | ${fmt(median(fetchTimes), 1)} / ${fmt(quantile(fetchTimes, 0.95), 1)} | ${fmt(median(bytes), 2)} | ${fmt(median(fetchTimes) / median(sqlTimes), 2)}× |`,
      );
    }
  } finally {
    await db.end();
    pg.stop();
  }
}

main().catch((e) => {
  console.error((e as Error).stack);
  process.exit(1);
});
