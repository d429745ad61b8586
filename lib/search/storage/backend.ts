// Which store holds the index: `memory` (the default: generations in
// INDEX_DIR, loaded into each server's memory) or `postgres` (generations in
// the database at DATABASE_URL, read through DATABASE_READ_URL when given).
export type BackendName = "memory" | "postgres";

export function searchBackend(raw = process.env.SEARCH_BACKEND): BackendName {
  if (raw === undefined || raw === "" || raw === "memory") return "memory";
  if (raw === "postgres") return "postgres";
  throw new Error(`search: SEARCH_BACKEND must be memory or postgres, not ${JSON.stringify(raw)}`);
}
