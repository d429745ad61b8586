// The back office's store in PostgreSQL (SEARCH_BACKEND=postgres): accounts,
// sessions, sign-in attempts, the audit log, the overlay, index runs, search
// counts, synonym groups and uploaded files, in the schema `admin` of the
// primary (DATABASE_URL). Every replica shares them: a session made on one
// works on the other, throttling counts every replica's attempts, and each
// replica's index run sees every upload.
import { createHash } from "node:crypto";
import { Pool, type PoolClient } from "pg";
import { daysBetween } from "@/lib/admin/sqlite-store";
import type { Account, AdminStore, AuditEntry, IndexRunRecord, QueryCount, Role } from "@/lib/admin/store";
import type { OverlayEntry } from "@/lib/content/overlay";

const SCHEMA = `
CREATE SCHEMA IF NOT EXISTS admin;
CREATE TABLE IF NOT EXISTS admin.users (id serial PRIMARY KEY, name text NOT NULL UNIQUE, role text NOT NULL, hash text NOT NULL, disabled boolean NOT NULL DEFAULT false, created text NOT NULL);
CREATE TABLE IF NOT EXISTS admin.sessions (id_hash text PRIMARY KEY, user_id integer NOT NULL REFERENCES admin.users(id), created_ms bigint NOT NULL, seen_ms bigint NOT NULL, csrf text NOT NULL);
CREATE TABLE IF NOT EXISTS admin.attempts (id bigserial PRIMARY KEY, key text NOT NULL, at_ms bigint NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_key ON admin.attempts (key, at_ms);
CREATE TABLE IF NOT EXISTS admin.audit (id bigserial PRIMARY KEY, at text NOT NULL, actor text, action text NOT NULL, target text, before text, after text);
CREATE OR REPLACE FUNCTION admin.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_append_only ON admin.audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON admin.audit FOR EACH STATEMENT EXECUTE FUNCTION admin.audit_append_only();
CREATE TABLE IF NOT EXISTS admin.overlay (id text PRIMARY KEY, correction text, state text, note text, title text NOT NULL, updated text NOT NULL, by text);
CREATE TABLE IF NOT EXISTS admin.index_runs (id bigserial PRIMARY KEY, at text NOT NULL, generation text, trigger text NOT NULL, actor text, kind text NOT NULL, added integer NOT NULL, changed integer NOT NULL, deleted integer NOT NULL, articles integer NOT NULL, seconds double precision NOT NULL, errors text NOT NULL);
CREATE TABLE IF NOT EXISTS admin.query_days (day text NOT NULL, query text NOT NULL, searches integer NOT NULL DEFAULT 0, no_results integer NOT NULL DEFAULT 0, clicks integer NOT NULL DEFAULT 0, PRIMARY KEY (day, query));
CREATE TABLE IF NOT EXISTS admin.click_positions (day text NOT NULL, position integer NOT NULL, clicks integer NOT NULL DEFAULT 0, PRIMARY KEY (day, position));
CREATE TABLE IF NOT EXISTS admin.synonym_groups (id serial PRIMARY KEY, line text NOT NULL UNIQUE, at text NOT NULL, by text NOT NULL);
CREATE TABLE IF NOT EXISTS admin.uploads (path text PRIMARY KEY, sha256 text NOT NULL, bytes bytea NOT NULL, at text NOT NULL);
`;

interface UserRow {
  id: number;
  name: string;
  role: Role;
  hash: string;
  disabled: boolean;
  created: string;
}

const account = (r: UserRow): Account => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled, created: r.created });
const overlayEntry = (r: Omit<OverlayEntry, "correction"> & { correction: string | null }): OverlayEntry => ({ ...r, correction: r.correction ? JSON.parse(r.correction) : null });
const counts = (r: { query: string; searches: string; noResults: string; clicks: string }): QueryCount => ({ query: r.query, searches: Number(r.searches), noResults: Number(r.noResults), clicks: Number(r.clicks) });

/** PostgreSQL's text holds no NUL: a name, query or file name typed with one is kept with U+FFFD instead (a lookup then finds nothing, as it should). */
const clean = (params: unknown[]) => params.map((p) => (typeof p === "string" && p.includes("\u0000") ? p.replace(/\u0000/gu, "\ufffd") : p));

export function postgresAdminStore(url: string): AdminStore {
  const pool = new Pool({ connectionString: url, max: 4 });
  // A pool's idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (e) => console.error(`admin: PostgreSQL: ${e.message}`));
  // Two replicas starting at once create the schema one after the other.
  const ready = (async () => {
    const c = await pool.connect();
    try {
      await c.query("SELECT pg_advisory_lock(hashtext('dangjian-admin-schema'))");
      await c.query(SCHEMA);
    } finally {
      await c.query("SELECT pg_advisory_unlock(hashtext('dangjian-admin-schema'))").catch(() => undefined);
      c.release();
    }
  })();
  ready.catch(() => undefined);
  const q = async <R extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> => {
    await ready;
    return (await pool.query(sql, clean(params))).rows as R[];
  };
  const changed = async (sql: string, params: unknown[]): Promise<number> => {
    await ready;
    return (await pool.query(sql, clean(params))).rowCount ?? 0;
  };
  const tx = async <T>(work: (c: PoolClient) => Promise<T>): Promise<T> => {
    await ready;
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      const out = await work(c);
      await c.query("COMMIT");
      return out;
    } catch (e) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };
  return {
    async addAccount(name, role, hash) {
      return account((await q<UserRow>("INSERT INTO admin.users (name, role, hash, created) VALUES ($1, $2, $3, $4) RETURNING *", [name, role, hash, new Date().toISOString()]))[0]);
    },
    async account(name) {
      const r = (await q<UserRow>("SELECT * FROM admin.users WHERE name = $1", [name]))[0];
      return r ? { ...account(r), hash: r.hash } : null;
    },
    async accountById(id) {
      const r = (await q<UserRow>("SELECT * FROM admin.users WHERE id = $1", [id]))[0];
      return r ? account(r) : null;
    },
    accounts: async () => (await q<UserRow>("SELECT * FROM admin.users ORDER BY name")).map(account),
    setPassword: async (name, hash) => (await changed("UPDATE admin.users SET hash = $1 WHERE name = $2", [hash, name])) === 1,
    setDisabled: async (name, disabled) => (await changed("UPDATE admin.users SET disabled = $1 WHERE name = $2", [disabled, name])) === 1,
    createSession: async (s) => void (await q("INSERT INTO admin.sessions (id_hash, user_id, created_ms, seen_ms, csrf) VALUES ($1, $2, $3, $4, $5)", [s.idHash, s.userId, s.createdMs, s.seenMs, s.csrf])),
    async session(idHash) {
      const r = (await q<{ id_hash: string; user_id: number; created_ms: string; seen_ms: string; csrf: string }>("SELECT * FROM admin.sessions WHERE id_hash = $1", [idHash]))[0];
      return r ? { idHash: r.id_hash, userId: r.user_id, createdMs: Number(r.created_ms), seenMs: Number(r.seen_ms), csrf: r.csrf } : null;
    },
    touchSession: async (idHash, seenMs) => void (await q("UPDATE admin.sessions SET seen_ms = $1 WHERE id_hash = $2", [seenMs, idHash])),
    deleteSession: async (idHash) => void (await q("DELETE FROM admin.sessions WHERE id_hash = $1", [idHash])),
    deleteSessionsOf: async (userId) => void (await q("DELETE FROM admin.sessions WHERE user_id = $1", [userId])),
    failures: (keys, nowMs, sinceMs, record) =>
      tx(async (c) => {
        // One sign-in at a time per key set: attempts on two replicas at once are both counted before either is checked.
        await c.query("SELECT pg_advisory_xact_lock(hashtext('dangjian-admin-attempts'))");
        await c.query("DELETE FROM admin.attempts WHERE at_ms < $1", [sinceMs]);
        if (record) for (const key of keys) await c.query("INSERT INTO admin.attempts (key, at_ms) VALUES ($1, $2)", clean([key, nowMs]));
        const out: number[] = [];
        for (const key of keys) out.push(Number((await c.query("SELECT count(*) AS n FROM admin.attempts WHERE key = $1 AND at_ms >= $2", clean([key, sinceMs]))).rows[0].n));
        return out;
      }),
    clearFailures: async (key) => void (await q("DELETE FROM admin.attempts WHERE key = $1", [key])),
    forgetAttempt: async (key, atMs) => void (await q("DELETE FROM admin.attempts WHERE id = (SELECT id FROM admin.attempts WHERE key = $1 AND at_ms = $2 LIMIT 1)", [key, atMs])),
    audit: async (e, at = new Date()) => void (await q("INSERT INTO admin.audit (at, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)", [at.toISOString(), e.actor, e.action, e.target, e.before, e.after])),
    auditLog: async (limit) => (await q<AuditEntry & { id: string }>("SELECT * FROM admin.audit ORDER BY id DESC LIMIT $1", [limit])).map((r) => ({ ...r, id: Number(r.id) })),
    overlay: async () => (await q<Parameters<typeof overlayEntry>[0]>("SELECT * FROM admin.overlay ORDER BY updated DESC, id")).map(overlayEntry),
    async overlayOf(id) {
      const r = (await q<Parameters<typeof overlayEntry>[0]>("SELECT * FROM admin.overlay WHERE id = $1", [id]))[0];
      return r ? overlayEntry(r) : null;
    },
    async putOverlay(e) {
      const correction = e.correction && Object.keys(e.correction).length ? JSON.stringify(e.correction) : null;
      if (!correction && !e.state) await q("DELETE FROM admin.overlay WHERE id = $1", [e.id]);
      else
        await q(
          "INSERT INTO admin.overlay (id, correction, state, note, title, updated, by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET correction = excluded.correction, state = excluded.state, note = excluded.note, title = excluded.title, updated = excluded.updated, by = excluded.by",
          [e.id, correction, e.state, e.note, e.title, new Date().toISOString(), e.by],
        );
    },
    recordRun: async (r) =>
      void (await q("INSERT INTO admin.index_runs (at, generation, trigger, actor, kind, added, changed, deleted, articles, seconds, errors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", [
        r.at, r.generation, r.trigger, r.actor, r.kind, r.added, r.changed, r.deleted, r.articles, r.seconds, JSON.stringify(r.errors),
      ])),
    runs: async (limit) =>
      (await q<Omit<IndexRunRecord, "errors"> & { errors: string }>("SELECT at, generation, trigger, actor, kind, added, changed, deleted, articles, seconds, errors FROM admin.index_runs ORDER BY id DESC LIMIT $1", [limit])).map((r) => ({
        ...r,
        errors: JSON.parse(r.errors) as IndexRunRecord["errors"],
      })),
    countBatch: (rows, clicks) =>
      tx(async (c) => {
        for (const r of rows)
          await c.query(
            "INSERT INTO admin.query_days (day, query, searches, no_results, clicks) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day, query) DO UPDATE SET searches = admin.query_days.searches + excluded.searches, no_results = admin.query_days.no_results + excluded.no_results, clicks = admin.query_days.clicks + excluded.clicks",
            clean([r.day, r.query, r.searches, r.noResults, r.clicks]),
          );
        for (const p of clicks) await c.query("INSERT INTO admin.click_positions (day, position, clicks) VALUES ($1, $2, $3) ON CONFLICT (day, position) DO UPDATE SET clicks = admin.click_positions.clicks + excluded.clicks", [p.day, p.position, p.clicks]);
      }),
    async queryReport(from, to, limit) {
      const sums = `SELECT query, SUM(searches) AS "searches", SUM(no_results) AS "noResults", SUM(clicks) AS "clicks" FROM admin.query_days WHERE day BETWEEN $1 AND $2`;
      const [top, empty, perDay, positions, totals] = await Promise.all([
        q<{ query: string; searches: string; noResults: string; clicks: string }>(`${sums} AND searches > 0 GROUP BY query ORDER BY 2 DESC, query LIMIT $3`, [from, to, limit]),
        q<{ query: string; searches: string; noResults: string; clicks: string }>(`${sums} GROUP BY query HAVING SUM(no_results) > 0 ORDER BY 3 DESC, query LIMIT $3`, [from, to, limit]),
        q<{ day: string; searches: string; noResults: string }>(`SELECT day, SUM(searches) AS "searches", SUM(no_results) AS "noResults" FROM admin.query_days WHERE day BETWEEN $1 AND $2 GROUP BY day`, [from, to]),
        q<{ position: number; clicks: string }>("SELECT position, SUM(clicks) AS clicks FROM admin.click_positions WHERE day BETWEEN $1 AND $2 GROUP BY position ORDER BY position", [from, to]),
        q<{ searches: string | null; noResults: string | null; clicks: string | null; queries: string }>(
          `SELECT SUM(searches) AS "searches", SUM(no_results) AS "noResults", SUM(clicks) AS "clicks", COUNT(DISTINCT query) AS "queries" FROM admin.query_days WHERE day BETWEEN $1 AND $2 AND searches > 0`,
          [from, to],
        ),
      ]);
      const byDay = new Map(perDay.map((d) => [d.day, d]));
      const t = totals[0];
      return {
        from,
        to,
        top: top.map(counts),
        noResults: empty.map(counts),
        days: daysBetween(from, to).map((day) => ({ day, searches: Number(byDay.get(day)?.searches ?? 0), noResults: Number(byDay.get(day)?.noResults ?? 0) })),
        positions: positions.map((p) => ({ position: p.position, clicks: Number(p.clicks) })),
        totals: { searches: Number(t.searches ?? 0), noResults: Number(t.noResults ?? 0), clicks: Number(t.clicks ?? 0), queries: Number(t.queries) },
      };
    },
    synonymGroups: async () => (await q<{ line: string }>("SELECT line FROM admin.synonym_groups ORDER BY id")).map((r) => r.line),
    addSynonymGroup: async (line, by) => void (await q("INSERT INTO admin.synonym_groups (line, at, by) VALUES ($1, $2, $3) ON CONFLICT (line) DO NOTHING", [line, new Date().toISOString(), by])),
    sharedUploads: {
      list: async () => q<{ path: string; sha256: string }>("SELECT path, sha256 FROM admin.uploads ORDER BY path"),
      get: async (path) => (await q<{ bytes: Buffer }>("SELECT bytes FROM admin.uploads WHERE path = $1", [path]))[0]?.bytes ?? null,
      put: async (path, bytes) =>
        void (await q("INSERT INTO admin.uploads (path, sha256, bytes, at) VALUES ($1, $2, $3, $4) ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes, at = excluded.at", [
          path, createHash("sha256").update(bytes).digest("hex"), bytes, new Date().toISOString(),
        ])),
      remove: async (path) => void (await q("DELETE FROM admin.uploads WHERE path = $1", [path])),
    },
    close: () => pool.end(),
  };
}
