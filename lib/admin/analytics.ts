// Counting what readers search for: per normalised query (both scripts and
// both widths the same, spaces collapsed) and UTC day, whether it found
// nothing, and which result position was opened. Nothing about who: no
// address, user agent, cookie or account is read or kept.
import { adminStore } from "@/lib/admin/admin-store";
import { normalize } from "@/lib/text/normalize";

export const MAX_QUERY = 200;

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

export async function count(b: Beacon, now = new Date()): Promise<void> {
  const key = queryKey(b.q);
  if (!key) return;
  const day = now.toISOString().slice(0, 10);
  if (b.kind === "search") await adminStore().countSearch(day, key, b.total === 0);
  else await adminStore().countClick(day, key, b.position);
}
