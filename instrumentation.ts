// Loads jieba, the normalisation tables and the search index when the server
// starts, so the first request does not pay for them, and follows INDEX_DIR
// so that a new index generation is served without a restart.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Every environment variable checked at start-up: a bad one is named here, and the server does not start.
  const { config } = await import("@/lib/config/env.cjs");
  config();
  const { followIndex, loadSearchIndex } = await import("@/lib/search/serving/live-index");
  const started = performance.now();
  try {
    const index = await loadSearchIndex();
    console.log(`search: loaded ${index.size} articles${index.lean ? " (lean: rows read per query)" : ""} in ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    // Messages name their module already ("search: …").
    console.error((e as Error).message);
  }
  followIndex();
  // The cluster workers' server (server/cluster.cjs) answers the JSON search paths through these.
  const { registerDirectApi } = await import("@/lib/search/serving/api-answers");
  registerDirectApi();
  // …and the results page's beacon (what readers search for).
  const { registerDirectBeacon } = await import("@/lib/admin/analytics");
  registerDirectBeacon();
}
