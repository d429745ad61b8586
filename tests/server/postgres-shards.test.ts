// A library partitioned across two PostgreSQL servers (DATABASE_SHARD_URLS),
// served by the production server as `npm start` runs it: full responses
// equal the memory backend's; while one server is down, the search API, the
// reading API and the feed answer 503 naming that server, and once it is
// back the same requests answer as before, with no restart. Two real
// clusters side by side, on loopback.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, within, type Library } from "../../testkit/library";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";
import { allIds, responses } from "../helpers/api-responses";

const SITE_URL = "https://dangjian.example";

let a: TestPostgres;
let b: TestPostgres;
let lib: Library;
let env: Record<string, string>;
const servers: RunningServer[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([startPostgres(), startPostgres()]);
  lib = await makeLibrary("pg-shards");
  const coordinator = await a.database("shards");
  env = { SEARCH_BACKEND: "postgres", DATABASE_URL: coordinator, DATABASE_SHARD_URLS: [coordinator, await b.database("shards")].join(",") };
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/index.ts"], { env: { ...process.env, ...env, CONTENT_DIR: lib.content } });
  expect(stdout).toMatch(/full build \(no index yet\): 32 articles/u);
  expect(stdout).toMatch(/partitioned across postgres:\/\/127\.0\.0\.1:\d+\/shards, postgres:\/\/127\.0\.0\.1:\d+\/shards/u);
  servers.push(await startProductionServer(lib.index, { env: { WEB_CONCURRENCY: "1", SITE_URL } }));
  servers.push(await startProductionServer(`${lib.root}/no-index-here`, { env: { ...env, WEB_CONCURRENCY: "1", SITE_URL } }));
}, 300_000);

afterAll(async () => {
  for (const s of servers) s.stop();
  await lib?.cleanup();
  a?.stop();
  b?.stop();
});

describe("an app server over a library partitioned across two PostgreSQL servers", () => {
  it("answers exactly like the memory backend (full responses: totals, ids, order, facets, highlights)", async () => {
    const [memory, sharded] = servers;
    const ids = await allIds(memory.base);
    expect(ids.length).toBe(32);
    expect(await responses(sharded.base, ids)).toEqual(await responses(memory.base, ids));
    expect(sharded.log()).toMatch(/search: loaded 32 articles \(lean: rows read per query\)/u);
  });

  it("answers 503 naming the server that is down, on the search API, the reading API and the feed, and answers again once it is back", async () => {
    const [memory, sharded] = servers;
    const id = (await allIds(memory.base))[0];
    // Requests not asked before (a kept answer would still be sent): each needs rows from both servers.
    const fresh = [`/api/search?q=${encodeURIComponent("轮讲 党课")}`, `/api/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("组织生活")}`, `/feed.xml?q=${encodeURIComponent("退休 老党员")}`];
    b.pause();
    try {
      for (const p of fresh) {
        const res = await fetch(`${sharded.base}${p}`);
        expect(res.status, p).toBe(503);
        expect(((await res.json()) as { error: string }).error, p).toMatch(/database did not answer \(shard 2 of 2 \(127\.0\.0\.1:\d+\/shards\): /u);
      }
    } finally {
      b.resume();
    }
    await within(20_000, "the server answers again", async () => (await fetch(`${sharded.base}${fresh[0]}`)).status === 200);
    for (const p of fresh) {
      const [got, want] = await Promise.all([fetch(`${sharded.base}${p}`), fetch(`${memory.base}${p}`)]);
      expect(got.status, p).toBe(200);
      // The feed's times are its generation's (the memory server's index was built apart): its entries' ids are compared.
      const body = async (r: Response) =>
        p.startsWith("/api/search") ? { ...((await r.json()) as object), tookMs: 0 } : p.startsWith("/feed") ? [...(await r.text()).matchAll(/<entry>[\s\S]*?<id>([^<]*)<\/id>/gu)].map((m) => m[1]) : await r.json();
      const [g, w] = [await body(got), await body(want)];
      expect(g, p).toEqual(w);
      // Answers with something in them (an empty page would prove little).
      expect(JSON.stringify(g).length, p).toBeGreaterThan(200);
    }
  }, 60_000);
});
