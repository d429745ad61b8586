// A long-lived caller's ingest (--watch, the back office's index service)
// visits only the files that changed since its last run, and takes every
// other file's articles from that run's ledger. Its result must be the one a
// whole run gives: the same articles in the same order, with the same ids
// (`id~n`), the same twin warnings, the same problems and inputs. Random
// edits to a small folder make ids and contents collide often, so both the
// delta and its fallback to a whole run are taken.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "@/lib/content/article";
import { idRoot, ingest, ingestReuse, lazyArticle, type IngestLedger, type IngestResult } from "@/lib/content/ingest";

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-delta-"));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const NAMES = ["a.md", "b.md", "sub/c.md", "sub/d.txt", "z.md", "notes.xlsx", "r.jsonl", "s.jsonl"];
const IDS = [null, "same", "same~2", "other", "same~2~3"];
const TITLES = ["支部学习", "主题党日", "党课"];

/** A file's text: Markdown or text with an optional id, a JSONL file of a few records, or something without a title. */
function fileText(name: string, pick: number[]): string {
  const [id, title, body, bad] = pick;
  if (name.endsWith(".jsonl")) {
    return pick
      .map((p, k) => (p % 7 === 6 ? "{oops" : JSON.stringify({ ...(IDS[p % IDS.length] ? { id: IDS[p % IDS.length] } : {}), title: TITLES[(p + k) % TITLES.length], body: `正文${p % 3}` })))
      .join("\n");
  }
  if (bad % 6 === 5) return "   \n";
  const front = IDS[id % IDS.length] ? `id: ${IDS[id % IDS.length]}\n` : "";
  if (name.endsWith(".txt")) return `${TITLES[title % TITLES.length]}\n\n正文${body % 3}。\n`;
  return `---\n${front}title: ${TITLES[title % TITLES.length]}\n---\n\n正文${body % 3}。\n`;
}

type Step = { name: number; op: "write" | "delete" | "touch"; pick: number[] };
const step: fc.Arbitrary<Step> = fc.record({
  name: fc.nat({ max: NAMES.length - 1 }),
  op: fc.constantFrom("write" as const, "write" as const, "delete" as const, "touch" as const),
  pick: fc.array(fc.nat({ max: 20 }), { minLength: 4, maxLength: 6 }),
});

/** An article as plain fields (a lazy one's read through its getters). */
const plain = (a: Article) => ({ id: a.id, origin: a.origin, hash: a.contentHash, warnings: a.warnings, title: a.title, paragraphs: a.paragraphs, authors: a.authors });
const described = (r: IngestResult) => ({
  articles: r.articles.map(plain),
  errors: r.errors,
  ignored: r.ignored,
  files: r.files,
  inputs: r.inputs.map((i) => ({ path: i.path, sha1: i.sha1, records: i.records })),
  reused: r.reused,
});

describe("ingest with a ledger (only changed files visited)", () => {
  it("equals a whole run after every random edit, ids and twins colliding", async () => {
    let run = 0;
    let deltas = 0;
    let fallbacks = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 8 }), async (batches) => {
        const dir = path.join(root, `run-${run++}`);
        await fs.mkdir(path.join(dir, "sub"), { recursive: true });
        // Timestamps well in the past, a new one at each write: a file is known unchanged by its stamp, as in a library.
        let clock = Date.now() / 1000 - 3600;
        const write = async (name: string, text: string) => {
          await fs.writeFile(path.join(dir, name), text);
          clock += 1;
          await fs.utimes(path.join(dir, name), clock, clock);
        };
        for (const name of NAMES.slice(0, 4)) await write(name, fileText(name, [0, 0, 0, 0]));
        // Articles revived by content hash, as a generation's are.
        const known = new Map<string, Article>();
        const revive = (identity: Parameters<typeof lazyArticle>[0]) => {
          const a = known.get(identity.contentHash);
          return a ? lazyArticle(identity, () => a) : undefined;
        };
        let last = await ingest([dir]);
        let ledger: IngestLedger | undefined = last.ledger;
        for (const batch of batches) {
          for (const s of batch) {
            const name = NAMES[s.name];
            const file = path.join(dir, name);
            if (s.op === "delete") await fs.rm(file, { force: true });
            else if (s.op === "touch") {
              clock += 1;
              await fs.utimes(file, clock, clock).catch(() => undefined);
            } else await write(name, fileText(name, s.pick));
          }
          for (const a of last.articles) known.set(a.contentHash, a);
          const whole = await ingest([dir], { reuse: ingestReuse(last.inputs, revive) });
          const delta = await ingest([dir], { reuse: ingestReuse(last.inputs, revive), ledger });
          expect(described(delta)).toEqual(described(whole));
          if (delta.ledger?.counts) deltas++;
          else fallbacks++;
          last = delta;
          ledger = delta.ledger;
        }
      }),
      { numRuns: 150 },
    );
    // Both ways were taken, many times: the property says something about each.
    console.log(`ingest delta: ${deltas} runs by the ledger, ${fallbacks} whole (ids or contents shared with unchanged files)`);
    expect(deltas).toBeGreaterThan(100);
    expect(fallbacks).toBeGreaterThan(50);
  });

  it("visits only what changed: an unchanged file's articles are the last run's own objects", async () => {
    const dir = path.join(root, "objects");
    await fs.mkdir(dir, { recursive: true });
    const past = Date.now() / 1000 - 3600;
    for (const n of ["one", "two"]) {
      await fs.writeFile(path.join(dir, `${n}.md`), `---\ntitle: ${n}号文章\n---\n\n${n}的正文。\n`);
      await fs.utimes(path.join(dir, `${n}.md`), past, past);
    }
    const first = await ingest([dir]);
    await fs.writeFile(path.join(dir, "three.md"), "---\ntitle: 三号文章\n---\n\n新的正文。\n");
    const second = await ingest([dir], { reuse: ingestReuse(first.inputs, () => undefined), ledger: first.ledger });
    expect(second.articles.map((a) => a.id)).toEqual(["one", "three", "two"]);
    expect(second.articles[0]).toBe(first.articles[0]);
    expect(second.articles[2]).toBe(first.articles[1]);
    expect(second.reused.files).toBe(2);
    expect(second.ledger?.counts).toBeDefined();
  });

  it("strips every ~n suffix to an id's root", () => {
    expect(["a", "a~2", "a~2~3", "a~x", "~2", "a~"].map(idRoot)).toEqual(["a", "a", "a", "a~x", "", "a~"]);
  });
});
