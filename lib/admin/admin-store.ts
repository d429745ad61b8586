// The back office's store for this process, opened once (every route
// handler and page of a server process shares it): PostgreSQL's primary with
// SEARCH_BACKEND=postgres (shared by every replica), else the SQLite file
// ADMIN_DB.
import { postgresAdminStore } from "@/lib/admin/postgres-admin-store";
import { sqliteStore } from "@/lib/admin/sqlite-store";
import type { AdminStore } from "@/lib/admin/store";
import { config } from "@/lib/config/env.cjs";

let opened: { key: string; store: AdminStore } | null = null;

export function adminStore(): AdminStore {
  const c = config();
  const key = c.backend === "postgres" && c.databaseUrl ? `postgres:${c.databaseUrl}` : `sqlite:${c.adminDb}`;
  if (opened?.key !== key) {
    void opened?.store.close();
    opened = { key, store: key.startsWith("postgres:") ? postgresAdminStore(c.databaseUrl!) : sqliteStore(c.adminDb) };
  }
  return opened.store;
}
