// The contract between the production server (server/cluster.cjs, plain Node
// outside the app's bundle) and the Next.js app it runs in each worker: what
// the app registers once it has started (instrumentation.ts →
// lib/search/serving/api-answers.ts) and the front server calls, and the mark
// the front server puts on a request whose proxy work it has done. Both sides
// import this module; the app's bundle holds its own copy of it, so the
// registration is kept in one process-wide slot that only this module names.
"use strict";

/** Set on a request once the front server has done proxy.ts's work; proxy.ts's matcher skips requests that carry it (a literal there, checked by a test). */
const POLICY_DONE_HEADER = "x-dangjian-policy-done";

/** The client's address as the front server's socket saw it (any such header a client sends is removed first): what the back office throttles sign-ins by. */
const CLIENT_ADDRESS_HEADER = "x-dangjian-client-address";

const SLOT = Symbol.for("dangjian-search.app-contract");

/** Called by the app once it has started. */
function registerApp(app) {
  globalThis[SLOT] = app;
}

/** What the app registered, or undefined before it has started. */
function registeredApp() {
  return globalThis[SLOT];
}

const BEACON_SLOT = Symbol.for("dangjian-search.app-contract.beacon");

/**
 * The back office registers how it counts a results page's beacon (POST
 * /api/analytics): the front server answers it without Next.js's router,
 * which would cost a page view more than the count (bench:back-office).
 */
function registerBeacon(beacon) {
  globalThis[BEACON_SLOT] = beacon;
}

function registeredBeacon() {
  return globalThis[BEACON_SLOT];
}

module.exports = { POLICY_DONE_HEADER, CLIENT_ADDRESS_HEADER, registerApp, registeredApp, registerBeacon, registeredBeacon };
