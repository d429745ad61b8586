// The back office's store for this process: the SQLite file ADMIN_DB, opened
// once (every route handler and page of a server process shares it).
import { sqliteStore } from "@/lib/admin/sqlite-store";
import type { AdminStore } from "@/lib/admin/store";
import { config } from "@/lib/config/env.cjs";

let opened: { file: string; store: AdminStore } | null = null;

export function adminStore(): AdminStore {
  const file = config().adminDb;
  if (opened?.file !== file) {
    opened?.store.close();
    opened = { file, store: sqliteStore(file) };
  }
  return opened.store;
}
