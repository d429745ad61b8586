// The one place that picks the store from the configuration: the folder
// (SEARCH_BACKEND=memory, the default) or PostgreSQL (SEARCH_BACKEND=postgres).
// The PostgreSQL store and its driver are loaded only when chosen.
import { config } from "@/lib/config/env.cjs";
import { diskStore } from "@/lib/search/storage/disk-store";
import type { IndexStore } from "@/lib/search/storage/store";

export async function openStore(): Promise<IndexStore> {
  if (config().backend === "postgres") return (await import("@/lib/search/storage/postgres-store")).postgresStore();
  return diskStore();
}
