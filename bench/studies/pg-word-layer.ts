// `npx tsx bench/studies/pg-word-layer.ts INDEX_DIR`: what FlexSearch's PostgreSQL
// adapter layout (flexsearch/db/postgres: one `map` row per word, resolution
// slot and document, indexed by word and by id) would cost for our word
// layer, against the layout the postgres backend uses (FlexSearch's own
// export, a few rows per segment). Reads the words of a built index's word
// segment (words.txt), writes them in the adapter's layout to a PostgreSQL
// started for the run, and prints rows, bytes and a lookup's time.
import { promises as fs } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CopyWriter } from "@/lib/search/storage/pg-copy";
import { readCurrent } from "@/lib/search/storage/disk-store";
import { startPostgres } from "../../testkit/postgres";
import { dirBytes, fmt, median } from "../parts/stats";

async function main() {
  const dir = path.resolve(process.argv[2] ?? process.env.INDEX_DIR ?? ".index");
  const gen = readCurrent(dir);
  if (!gen) throw new Error(`pg-word-layer: no index in ${dir}`);
  const manifest = JSON.parse(await fs.readFile(path.join(dir, "builds", gen, "manifest.json"), "utf8")) as { segments: Array<{ name: string }> };
  const seg = path.join(dir, "segments", manifest.segments[0].name);
  const lines = (await fs.readFile(path.join(seg, "words.txt"), "utf8")).split("\n");
  const pg = await startPostgres();
  const db = new Client({ connectionString: pg.url });
  await db.connect();
  try {
    await db.query("CREATE TABLE map (key varchar(128) NOT NULL, res smallint NOT NULL, id integer NOT NULL)");
    const t = performance.now();
    const w = new CopyWriter(db.query(copyFrom("COPY map (key, res, id) FROM STDIN (FORMAT binary)")), ["bytes", "int2", "int4"]);
    let rows = 0;
    const vocabulary = new Set<string>();
    for (let doc = 0; doc < lines.length; doc++) {
      for (const word of new Set(lines[doc].split(" ").filter(Boolean))) {
        await w.row([word.slice(0, 128), 0, doc]);
        vocabulary.add(word);
        rows++;
      }
    }
    await w.end();
    await db.query("CREATE INDEX map_index ON map (key); CREATE INDEX map_id ON map (id); ANALYZE map");
    const seconds = (performance.now() - t) / 1000;
    const bytes = Number((await db.query("SELECT pg_total_relation_size('map') AS b")).rows[0].b);
    const words = [...vocabulary];
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const word = words[(i * 7919) % words.length];
      const s = performance.now();
      await db.query("SELECT id FROM map WHERE key = $1 AND res = 0", [word]);
      times.push(performance.now() - s);
    }
    const ours = await dirBytes(path.join(seg, "flex"));
    console.log(
      `pg-word-layer: ${lines.length} documents, ${vocabulary.size} words, ${rows} (word, document) pairs. Adapter layout: ${rows} rows, ` +
        `${fmt(bytes / 1e6, 0)} MB with its two indexes, written in ${fmt(seconds, 1)} s, one word's documents in ${fmt(median(times), 2)} ms (median of 200). ` +
        `The backend's layout: FlexSearch's export, ${fmt(ours / 1e6, 0)} MB in ${(await fs.readdir(path.join(seg, "flex"))).length} rows.`,
    );
  } finally {
    await db.end();
    pg.stop();
  }
}

main().catch((e) => {
  console.error((e as Error).stack);
  process.exit(1);
});
