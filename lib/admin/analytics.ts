// Counting what readers search for: per normalised query (both scripts and
// both widths the same, spaces collapsed) and UTC day, whether it found
// nothing, and which result position was opened. Nothing about who: no
// address, user agent, cookie or account is read or kept. Counts are added
// up in memory and written every two seconds in one transaction, so a page
// view costs a few map updates (bench:back-office measures it); the front
// server answers the beacon without Next.js's router (registerBeacon).
import { adminStore } from "@/lib/admin/admin-store";
import { sameOrigin } from "@/lib/admin/http";
import type { ClickCount, QueryDayCount } from "@/lib/admin/store";
import { config } from "@/lib/config/env.cjs";
import { normalize } from "@/lib/text/normalize";
import { registerBeacon, type BeaconAnswer } from "@/server/app-contract.cjs";

export const MAX_QUERY = 200;
const FLUSH_MS = 2000;
/** Distinct keys held before a write is forced. */
const MAX_PENDING = 10_000;

/** The key a query is counted under, or null for one not worth counting (empty, too long). */
export function queryKey(q: string): string | null {
  const key = normalize(q).replace(/\s+/gu, " ").trim();
  return key && key.length <= MAX_QUERY ? key : null;
}

export type Beacon = { kind: "search"; q: string; total: number } | { kind: "click"; q: string; position: number };

/** A beacon's body checked, or what is wrong with it. */
export function parseBeacon(body: unknown): Beacon | string {
  if (!body || typeof body !== "object") return "the body must be a JSON object";
  const b = body as Record<string, unknown>;
  if (typeof b.q !== "string") return "q must be a string";
  if (b.kind === "search") return Number.isInteger(b.total) && (b.total as number) >= 0 ? { kind: "search", q: b.q, total: b.total as number } : "total must be a whole number";
  if (b.kind === "click") return Number.isInteger(b.position) && (b.position as number) >= 1 && (b.position as number) <= 10_000 ? { kind: "click", q: b.q, position: b.position as number } : "position must be a whole number from 1 to 10000";
  return "kind must be search or click";
}

let queries = new Map<string, QueryDayCount>();
let positions = new Map<string, ClickCount>();
let timer: NodeJS.Timeout | null = null;
let writing: Promise<void> = Promise.resolve();

/** Counts one beacon (written within two seconds). */
export function count(b: Beacon, now = new Date()): void {
  const key = queryKey(b.q);
  if (!key) return;
  const day = now.toISOString().slice(0, 10);
  const k = `${day}\u0000${key}`;
  let row = queries.get(k);
  if (!row) queries.set(k, (row = { day, query: key, searches: 0, noResults: 0, clicks: 0 }));
  if (b.kind === "search") {
    row.searches++;
    if (b.total === 0) row.noResults++;
  } else {
    row.clicks++;
    const p = `${day}\u0000${b.position}`;
    const c = positions.get(p) ?? positions.set(p, { day, position: b.position, clicks: 0 }).get(p)!;
    c.clicks++;
  }
  if (queries.size >= MAX_PENDING) void flushCounts();
  else timer ??= setTimeout(() => void flushCounts(), FLUSH_MS).unref();
}

/** Writes what has been counted (one transaction); a failed write is logged and its counts dropped (they are statistics). */
export function flushCounts(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const rows = [...queries.values()];
  const clicks = [...positions.values()];
  queries = new Map();
  positions = new Map();
  if (!rows.length && !clicks.length) return writing;
  writing = writing.then(() => adminStore().countBatch(rows, clicks)).catch((e) => console.error(`analytics: ${rows.length} counts not kept: ${(e as Error).message}`));
  return writing;
}

/** POST /api/analytics, for the route handler and the front server alike: same origin only, at most 2 KB of JSON; 204 also when ANALYTICS=0 (nothing kept). */
export async function beaconAnswer(headers: Headers, url: string, body: string): Promise<BeaconAnswer> {
  if (!sameOrigin({ headers, url })) return { status: 403, body: { error: "cross-site beacon refused" } };
  if (!config().analytics) return { status: 204 };
  if (body.length === 0 || Buffer.byteLength(body) > 2048) return { status: 413, body: { error: "a beacon is 1 byte to 2 KB of JSON" } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: "the body is not JSON" } };
  }
  const b = parseBeacon(parsed);
  if (typeof b === "string") return { status: 400, body: { error: b } };
  count(b);
  return { status: 204 };
}

/** Lets the front server (server/cluster.cjs) answer beacons itself. */
export function registerDirectBeacon(): void {
  registerBeacon((raw, path, body) => {
    // Node's headers, read through the one method the checks use (a Headers object costs more than the count).
    const headers = { get: (name: string) => (typeof raw[name.toLowerCase()] === "string" ? (raw[name.toLowerCase()] as string) : null) } as Headers;
    return beaconAnswer(headers, `http://${headers.get("host") ?? "localhost"}${path}`, body);
  });
}
