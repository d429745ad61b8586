// glibc malloc settings for a server process, by how it holds its index
// (GLIBC_TUNABLES is read when a process starts: set for each server process
// by whatever starts it — server/cluster.cjs for its workers, the tests and
// benchmarks for `next start` — from the same rule; a GLIBC_TUNABLES already
// set, even empty, is left as it is).
//
// - A server that loads a whole generation (SEARCH_BACKEND=memory, or
//   postgres with POSTGRES_LEAN=0) asks for huge pages: ~6 GB of index at
//   ×10 faults in 2 MB at a time (load 5.3 s instead of 7.4 s on the corpus).
// - A lean postgres server holds ~60 MB of arrays and allocates and frees
//   buffers per query (rows, texts, the driver's reads). glibc raises its
//   mmap threshold to the size of any mapped block freed, so those buffers
//   come from the heap afterwards, where what is freed among live blocks is
//   never given back: a ×10 replica sat at ~395 MB RSS after the bench's
//   queries against ~335–370 MB with the threshold fixed at its default
//   128 KiB (blocks that large are mapped, and unmapped when freed).
"use strict";

const { variable } = require("../lib/config/env.cjs");

const HUGE_PAGES = "glibc.malloc.hugetlb=1";
const FIXED_MMAP_THRESHOLD = "glibc.malloc.mmap_threshold=131072";

/** GLIBC_TUNABLES for a server process started with this environment. */
function glibcTunables(env) {
  if (env.GLIBC_TUNABLES !== undefined) return env.GLIBC_TUNABLES;
  const lean = variable(env, "SEARCH_BACKEND") === "postgres" && variable(env, "POSTGRES_LEAN") === "1";
  return lean ? FIXED_MMAP_THRESHOLD : HUGE_PAGES;
}

module.exports = { glibcTunables };
