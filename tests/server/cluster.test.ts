// `npm start` runs scripts/serve.cjs: one Next.js server per core under Node's
// cluster, each answering /api/search and /api/suggest on a direct path. The
// direct path must answer exactly what the route handlers answer (status,
// body, headers); every worker must follow a new index generation; a worker
// that dies is replaced.
import { execFileSync } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, within, type Library } from "../helpers/library";
import { startProductionServer, type RunningServer } from "../helpers/production-server";

let lib: Library;
let cluster: RunningServer;
let single: RunningServer;

beforeAll(async () => {
  lib = await makeLibrary("cluster");
  // Two workers even on a one-core machine, so round-robin and replacement are exercised.
  cluster = await startProductionServer(lib.index, { cluster: true, env: { WEB_CONCURRENCY: "2", INDEX_POLL_MS: "500" } });
  single = await startProductionServer(lib.index);
});

afterAll(async () => {
  cluster?.stop();
  single?.stop();
  await lib?.cleanup();
});

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET on a new connection (no keep-alive), so the cluster's round-robin spreads them over the workers. */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
  });
}

const withoutTime = (body: string) => {
  const o = JSON.parse(body);
  delete o.tookMs;
  return o;
};

const workerPids = () =>
  execFileSync("pgrep", ["-P", String(cluster.pid)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean)
    .map(Number);

describe("the cluster (npm start)", () => {
  it("answers the JSON search paths exactly as the route handlers do: status, body and headers", async () => {
    const paths = [
      ...[
        "/api/search?q=党建",
        "/api/search?q=黨建工作&sort=newest&size=5",
        "/api/search?q=学习&page=2",
        `/api/search?q=${encodeURIComponent('"主题教育" -学习')}`,
        "/api/search?q=",
        "/api/search?q=党建&size=999",
        "/api/search?q=党建&q=学习",
        "/api/suggest?q=dang",
        "/api/suggest?q=党",
        "/api/suggest?q=",
      ].map((p) => encodeURI(p).replace(/%25/g, "%")),
      // A broken escape in the query string.
      "/api/search?q=%E4%B8",
    ];
    for (const p of paths) {
      const [a, b] = await Promise.all([get(cluster.base, p), get(single.base, p)]);
      expect(a.status, p).toBe(b.status);
      expect(withoutTime(a.body), p).toEqual(withoutTime(b.body));
      for (const h of ["content-type", "cache-control", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy", "cross-origin-opener-policy"]) {
        expect(a.headers[h], `${p} ${h}`).toBe(b.headers[h]);
      }
    }
    // Compressed when the client takes it, like Next.js.
    const gz = await get(cluster.base, encodeURI("/api/search?q=党建"), { "Accept-Encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
  });

  it("serves pages and reading pages through Next.js on every worker, with the proxy's work done in front of it", async () => {
    const policyOf = (g: Got) => String(g.headers["content-security-policy"] ?? "");
    const nonceOf = (policy: string) => /'nonce-([^']+)'/u.exec(policy)?.[1];
    const seen = new Set<string>();
    const id = JSON.parse((await get(cluster.base, encodeURI("/api/search?q=党建"))).body).hits[0].id as string;
    // A client's own copy of the front server's mark does not skip the policy.
    const forged: Record<string, string> = { "x-dangjian-policy-done": "1" };
    for (const [i, headers] of [{}, {}, {}, forged, forged, {}].entries()) {
      const p = i % 2 ? `/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("党建")}` : encodeURI("/?q=党建");
      const [page, alone] = await Promise.all([get(cluster.base, p, headers), get(single.base, p)]);
      expect(page.status, p).toBe(200);
      const nonce = nonceOf(policyOf(page));
      expect(nonce, p).toBeTruthy();
      // The same policy as the proxy sets under `next start`, but for the nonce; a fresh nonce per response.
      expect(policyOf(page).replace(nonce!, "N")).toBe(policyOf(alone).replace(nonceOf(policyOf(alone))!, "N"));
      expect(seen.has(nonce!)).toBe(false);
      seen.add(nonce!);
      // Next.js put this response's nonce on every script of the page.
      const scripts = [...page.body.matchAll(/<script\b[^>]*>/gu)].map((m) => m[0]);
      expect(scripts.length, p).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, p).toContain(`nonce="${nonce}"`);
    }
    // A path that does not decode: the same 404 as the proxy's, page and API.
    for (const p of ["/articles/%E4%B8", "/api/articles/%E4%B8"]) {
      const [a, b] = await Promise.all([get(cluster.base, p), get(single.base, p)]);
      expect([a.status, a.headers["content-type"], a.body], p).toEqual([404, b.headers["content-type"], b.body]);
      expect(a.headers["x-content-type-options"], p).toBe("nosniff");
    }
  });

  it("every worker serves a new generation seconds after `npm run index`", async () => {
    const count = async () => JSON.parse((await get(cluster.base, encodeURI("/api/search?q=白桦林党建联络站"))).body).total as number;
    expect(await count()).toBe(0);
    await lib.write("2026/baihualin.md", "白桦林党建联络站开放", "白桦林党建联络站今天开放，为周边党员提供学习场所。");
    await lib.reindex();
    // Ten answers in a row on new connections (so from both workers) all find it.
    await within(20_000, "both workers serve the new generation", async () => {
      for (let i = 0; i < 10; i++) if ((await count()) !== 1) return false;
      return true;
    });
  });

  it("replaces a worker that dies, and keeps answering", async () => {
    const before = workerPids();
    expect(before).toHaveLength(2);
    process.kill(before[0], "SIGKILL");
    await within(60_000, "a new worker answers beside the survivor", async () => {
      const now = workerPids();
      if (now.length !== 2 || now.includes(before[0])) return false;
      for (let i = 0; i < 6; i++) if ((await get(cluster.base, encodeURI("/api/search?q=党建"))).status !== 200) return false;
      return true;
    });
  });
});
