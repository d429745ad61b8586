// `npm start`: the production server on every core.
//
// Node's own `cluster` module forks one worker per core (WEB_CONCURRENCY
// overrides); the workers share the listening socket and the primary hands
// connections out round-robin. Each worker is the Next.js production server
// (next({ dev: false }), as `next start` runs it) behind a plain node:http
// server that answers GET /api/search and GET /api/suggest itself, through
// the same answer functions the route handlers use (lib/search/serving/api-answers.ts),
// because Next.js's router costs more than the search: ~1.5 ms per request
// here against ~0.1 ms for node:http. Everything else goes to Next.js, after
// the work proxy.ts does under `next start` (a 404 for a path that does not
// decode, the page's Content-Security-Policy with a fresh nonce), done here
// through the same function so that the proxy does not run: it costs ~20% of
// a trivial page's throughput (less on the project's heavier pages). Rendered
// search and reading pages are kept per worker and sent again with a fresh
// nonce (server/page-cache.cjs; PAGE_CACHE_MB, 0 turns it off).
//
// Each worker loads the index and follows INDEX_DIR on its own (live swap),
// so a new generation reaches every worker within the poll interval. A worker
// that dies is replaced (at most one start per second); SIGHUP is passed on
// to the workers (reload the index now); SIGTERM/SIGINT stop them all.
// Arguments: -H/--hostname (default HOST or 127.0.0.1), -p/--port (default
// PORT or 3000).
"use strict";
const cluster = require("node:cluster");
const http = require("node:http");
const { PageCache, pageCacheBytes, holdBack, pageOf, sendPage, sendAsIs, takesGzip, encoded } = require("./page-cache.cjs");
const { glibcTunables } = require("./glibc-tunables.cjs");
const { config, ConfigError } = require("../lib/config/env.cjs");
const { POLICY_DONE_HEADER, CLIENT_ADDRESS_HEADER, registeredApp, registeredBeacon } = require("./app-contract.cjs");
const { relayIndexRequests } = require("./index-service.cjs");

/** The configuration (every variable checked: a bad one stops the server before it forks, naming it). */
function settings() {
  try {
    return config();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`serve: ${e.message}`);
    process.exit(2);
  }
}

function options(argv) {
  let hostname = settings().host;
  let port = settings().port;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-H" || a === "--hostname") hostname = argv[++i];
    else if (a === "-p" || a === "--port") port = Number(argv[++i]);
    else {
      console.error(`serve: unknown argument ${JSON.stringify(a)} (use -H host, -p port)`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: the port must be a whole number from 0 to 65535, not ${JSON.stringify(String(port))}`);
    process.exit(2);
  }
  return { hostname, port };
}

if (cluster.isPrimary) primary();
else
  worker().catch((e) => {
    console.error(`serve: worker ${process.pid} could not start: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  });

function primary() {
  options(process.argv.slice(2)); // refuse bad arguments before forking
  const wanted = settings().webConcurrency;
  process.env.NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  let stopping = false;
  let lastFork = 0;
  // Workers that died before they ever listened, in a row: a server that cannot start (no build, a bad config) stops instead of looping.
  let failedStarts = 0;
  const fork = () => {
    lastFork = Date.now();
    // malloc settings by backend (glibc-tunables.cjs): read when the worker starts.
    const w = cluster.fork({ GLIBC_TUNABLES: glibcTunables(process.env) });
    w.on("message", (m) => {
      if (m && m.listening) {
        w.listening = true;
        failedStarts = 0;
      }
    });
  };
  for (let i = 0; i < wanted; i++) fork();
  console.log(`serve: ${wanted} worker(s) (primary ${process.pid})`);
  // The back office's uploads, corrections and withdrawals are indexed by one process per machine, started on first use.
  const indexing = relayIndexRequests(cluster);

  cluster.on("exit", (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0) process.exit();
      return;
    }
    if (!w.listening && ++failedStarts >= 3) {
      console.error(`serve: ${failedStarts} workers in a row exited before listening (the last with ${signal ?? code}); giving up`);
      process.exitCode = 1;
      stop("SIGTERM");
      return;
    }
    console.error(`serve: worker ${w.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, Math.max(0, 1000 - (Date.now() - lastFork)));
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    indexing.stop();
    const workers = Object.values(cluster.workers);
    if (workers.length === 0) process.exit();
    for (const w of workers) w.process.kill(signal);
    // Whatever has not gone after 10 s is killed.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers)) w.process.kill("SIGKILL");
      process.exit(1);
    }, 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => {
    for (const w of Object.values(cluster.workers)) w.process.kill("SIGHUP");
  });
}

async function worker() {
  const { hostname, port } = options(process.argv.slice(2));
  const pages = new PageCache(settings().pageCacheBytes);
  const next = require("next");
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    // Never a client's own mark, even before the app has registered the policy below.
    delete req.headers[POLICY_DONE_HEADER];
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    // Registered by the app once it has started (server/app-contract.cjs).
    const site = registeredApp();
    const api = req.method === "GET" && req.url.startsWith("/api/s") ? site : undefined;
    if (api) {
      const url = new URL(req.url, "http://localhost");
      const answer = api.answers[url.pathname];
      if (answer) {
        answer(url.searchParams).then(
          (a) => send(req, res, a, api.headers),
          (e) => {
            console.error(`serve: ${url.pathname}: ${e && e.stack ? e.stack : e}`);
            send(req, res, { status: 500, body: { error: "internal error" } }, api.headers);
          },
        );
        return;
      }
    }
    const beacon = req.method === "POST" && req.url === "/api/analytics" ? registeredBeacon() : undefined;
    if (beacon) {
      answerBeacon(req, res, beacon, site?.headers ?? {});
      return;
    }
    if (typeof site?.requestPolicy === "function") {
      // proxy.ts's work, through the same function; the mark tells the proxy not to run again.
      const policy = site.requestPolicy(req.url.split("?", 1)[0]);
      if (policy.kind === "not-found") {
        // no-cache: a 410 (a withdrawn article) is cacheable by default, and the article may be restored.
        res.writeHead(policy.status, { ...site.headers, "Content-Type": policy.contentType, "Cache-Control": "no-cache" });
        res.end(policy.body);
        return;
      }
      if (policy.kind === "page") {
        const key = pages.keyOf(req, site.generation());
        const kept = key === null ? undefined : pages.get(key);
        if (kept) {
          sendPage(res, kept, policy.nonce, policy.policy, takesGzip(req), "hit");
          return;
        }
        req.headers["x-nonce"] = policy.nonce;
        req.headers["content-security-policy"] = policy.policy;
        res.setHeader("Content-Security-Policy", policy.policy);
        if (key !== null) {
          // Rendered uncompressed and held back, kept when it may be, then sent (compressed here when the client takes it).
          const generation = site.generation();
          const gzip = takesGzip(req);
          delete req.headers["accept-encoding"];
          holdBack(res, (body) => {
            const page = pages.stillCurrent(key, generation, site.generation()) ? pageOf(res, body, policy.nonce) : null;
            if (page) {
              pages.set(key, page);
              sendPage(res, page, policy.nonce, policy.policy, gzip, "miss");
            } else sendAsIs(res, body, gzip);
          });
        }
      }
      req.headers[POLICY_DONE_HEADER] = "1";
    }
    handle(req, res);
  });
  server.listen(port, hostname, () => process.send?.({ listening: true }));

  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", close);
  process.on("SIGINT", close);
}

/** The results page's beacon: at most 2 KB read, counted by the app's function, answered 204 (or a JSON refusal). */
function answerBeacon(req, res, beacon, siteHeaders) {
  const chunks = [];
  let size = 0;
  let over = false;
  req.on("data", (c) => {
    size += c.length;
    if (size > 2048) over = true;
    else chunks.push(c);
  });
  req.on("end", () => {
    const done = (a) => {
      const body = a.body ? Buffer.from(JSON.stringify(a.body)) : null;
      res.writeHead(a.status, { ...siteHeaders, "Cache-Control": "no-store", ...(body ? { "Content-Type": "application/json", "Content-Length": body.length } : {}) });
      res.end(body ?? undefined);
    };
    if (over) return done({ status: 413, body: { error: "a beacon is at most 2 KB" } });
    beacon(req.headers, req.url, Buffer.concat(chunks).toString("utf8")).then(done, (e) => {
      console.error(`serve: /api/analytics: ${e && e.stack ? e.stack : e}`);
      done({ status: 503, body: { error: "the count could not be kept" } });
    });
  });
  req.on("error", () => res.destroy());
}

/** The JSON answer, with the site's headers, gzip-compressed when the client takes it (as Next.js does). */
function send(req, res, answer, siteHeaders) {
  const { body, encoding } = encoded(Buffer.from(JSON.stringify(answer.body)), takesGzip(req));
  const headers = { ...siteHeaders, Vary: "Accept-Encoding", ...answer.headers, "Content-Type": "application/json" };
  if (encoding) headers["Content-Encoding"] = encoding;
  headers["Content-Length"] = body.length;
  res.writeHead(answer.status, headers);
  res.end(body);
}
