// `npm start` runs server/cluster.cjs: one Next.js server per core under Node's
// cluster, each answering /api/search and /api/suggest on a direct path. The
// direct path must answer exactly what the route handlers answer (status,
// body, headers); every worker must follow a new index generation; a worker
// that dies is replaced.
import { execFileSync } from "node:child_process";
import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, within, type Library } from "../../testkit/library";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";

let lib: Library;
const SITE_URL = "https://dangjian.example";
let cluster: RunningServer;
let single: RunningServer;

beforeAll(async () => {
  lib = await makeLibrary("cluster");
  // Two workers even on a one-core machine, so round-robin and replacement are exercised.
  // One public address for both (SITE_URL): a reading page's citation and QR code are absolute links, and the two listen on different ports.
  cluster = await startProductionServer(lib.index, { cluster: true, env: { WEB_CONCURRENCY: "2", INDEX_POLL_MS: "500", SITE_URL } });
  single = await startProductionServer(lib.index, { cluster: false, env: { SITE_URL } });
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
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: (res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(raw) : raw).toString("utf8") });
      });
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

  it("keeps rendered pages per worker and sends them again under a fresh nonce: the page next start renders, never an RSC payload in its place", async () => {
    const nonceOf = (g: Got) => /'nonce-([^']+)'/u.exec(String(g.headers["content-security-policy"]))![1];
    const unnonced = (g: Got) => g.body.replaceAll(nonceOf(g), "N");
    const pageHeaders = (g: Got) => {
      const { date, "content-security-policy": _p, "content-length": _l, "transfer-encoding": _t, "x-page-cache": _c, "content-encoding": _e, connection, "keep-alive": _k, ...rest } = g.headers;
      return rest;
    };
    const id = JSON.parse((await get(cluster.base, encodeURI("/api/search?q=党建"))).body).hits[0].id as string;
    const p = `/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("党建 学习")}`;
    const alone = await get(single.base, p);
    const states: string[] = [];
    const nonces = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const page = await get(cluster.base, p, i % 2 ? { "accept-encoding": "gzip" } : {});
      expect(page.status).toBe(200);
      states.push(String(page.headers["x-page-cache"]));
      if (i % 2) expect(page.headers["content-encoding"]).toBe("gzip");
      nonces.add(nonceOf(page));
      // Byte for byte what next start renders, but for the nonce; the same headers.
      expect(unnonced(page)).toBe(unnonced(alone));
      expect(pageHeaders(page)).toEqual(pageHeaders(alone));
      expect(page.body).toContain(`nonce="${nonceOf(page)}"`);
    }
    expect(nonces.size).toBe(8);
    // Rendered once per worker, sent from what was kept after that.
    expect(states.filter((s) => s === "miss").length).toBeLessThanOrEqual(2);
    expect(states.filter((s) => s === "hit").length).toBeGreaterThanOrEqual(6);
    // Client navigation's RSC payload for the same URL is rendered by Next.js and not kept; the HTML stays the HTML.
    // (Next.js first redirects a payload request without its cache-busting _rsc parameter to one with it.)
    const rsc = await get(cluster.base, `${p}&_rsc`, { rsc: "1" });
    expect(rsc.status).toBe(200);
    expect(rsc.headers["content-type"]).toMatch(/^text\/x-component/u);
    expect(rsc.headers["x-page-cache"]).toBeUndefined();
    const after = await get(cluster.base, p);
    expect(after.headers["content-type"]).toMatch(/^text\/html/u);
    expect(unnonced(after)).toBe(unnonced(alone));
  });

  it("sends no kept page of an older generation: a search page kept before `npm run index` shows the new article seconds after", async () => {
    const p = encodeURI("/?q=青松岭党员活动室");
    const before: Got[] = [];
    for (let i = 0; i < 4; i++) before.push(await get(cluster.base, p));
    expect(before.map((g) => g.headers["x-page-cache"])).toContain("hit");
    await lib.write("2026/qingsongling.md", "青松岭党员活动室落成", "青松岭党员活动室今天落成，支部在这里开展学习。");
    await lib.reindex();
    let link = "";
    await within(20_000, "both workers' search pages show the new article", async () => {
      const hits = JSON.parse((await get(cluster.base, encodeURI("/api/search?q=青松岭党员活动室"))).body).hits as Array<{ id: string }>;
      if (hits.length === 0) return false;
      link = `/articles/${encodeURIComponent(hits[0].id)}`;
      for (let i = 0; i < 6; i++) if (!(await get(cluster.base, p)).body.includes(link)) return false;
      return true;
    });
    for (const g of before) expect(g.body).not.toContain(link);
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
