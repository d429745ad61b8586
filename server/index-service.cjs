// The back office's index runs: one long-lived process per machine
// (scripts/index-service.ts, jieba kept loaded between runs) that runs
// `npm run index`'s incremental build when an upload, a correction or a
// withdrawal asks for one, and answers each request with what its run did.
// Requests that arrive while a run is going are served together by the next
// run. The cluster's primary starts it on the first request and relays
// requests and answers between it and the workers (IPC); a process that is
// not a cluster worker (next dev) starts its own.
"use strict";
const { execFileSync, fork } = require("node:child_process");
const path = require("node:path");

const REQUEST = "dangjian:index";
const ANSWER = "dangjian:indexed";

/** A lazily started service: `send(request)`; every answer goes to `answered(answer)`. A service that dies answers its open requests with an error and starts again on the next request. */
function indexService(answered) {
  let child = null;
  const open = new Set();
  const start = () => {
    const script = path.join(/*turbopackIgnore: true*/ process.cwd(), "scripts", "index-service.ts");
    // The heap and malloc settings `npm run index` runs with (package.json): ~300k articles need more than Node's default heap.
    const heapMb = execFileSync(process.execPath, [path.join(/*turbopackIgnore: true*/ process.cwd(), "scripts", "heap-mb.cjs")], { encoding: "utf8" }).trim();
    const env = { ...process.env, GLIBC_TUNABLES: process.env.GLIBC_TUNABLES || "glibc.malloc.hugetlb=1" };
    const c = fork(script, [], { execArgv: ["--import", "tsx", `--max-old-space-size=${heapMb}`], env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    c.on("message", (m) => {
      if (!m || m.type !== ANSWER) return;
      open.delete(m.id);
      answered(m);
    });
    c.on("exit", (code, signal) => {
      if (child === c) child = null;
      for (const id of open) answered({ type: ANSWER, id, ok: false, error: `the index service stopped (${signal ?? code}) before it answered` });
      open.clear();
    });
    c.on("error", (e) => console.error(`serve: index service: ${e.message}`));
    return c;
  };
  return {
    send(request) {
      child ??= start();
      open.add(request.id);
      child.send(request);
    },
    stop() {
      child?.kill("SIGTERM");
      child = null;
    },
  };
}

/** In the cluster's primary: serve the workers' index requests through one service. */
function relayIndexRequests(cluster) {
  const askers = new Map();
  const service = indexService((answer) => {
    const w = askers.get(answer.id);
    askers.delete(answer.id);
    if (w && w.isConnected()) w.send(answer);
  });
  cluster.on("message", (w, m) => {
    if (!m || m.type !== REQUEST) return;
    askers.set(m.id, w);
    service.send(m);
  });
  return service;
}

module.exports = { indexService, relayIndexRequests, REQUEST, ANSWER };
