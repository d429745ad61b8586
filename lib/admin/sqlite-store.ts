// The back office's store in a SQLite file (better-sqlite3): the embedded
// default, no server to run. WAL mode and a busy timeout let every cluster
// worker (and the users command) use the file at once.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Account, AdminStore, AuditEntry, ClickCount, IndexRunRecord, QueryCount, QueryDayCount, Role } from "@/lib/admin/store";
import type { OverlayEntry } from "@/lib/content/overlay";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), created_ms INTEGER NOT NULL, seen_ms INTEGER NOT NULL, csrf TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_key ON attempts (key, at_ms);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT, before TEXT, after TEXT);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS overlay (id TEXT PRIMARY KEY, correction TEXT, state TEXT, note TEXT, title TEXT NOT NULL, updated TEXT NOT NULL, by TEXT);
CREATE TABLE IF NOT EXISTS index_runs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, generation TEXT, trigger TEXT NOT NULL, actor TEXT, kind TEXT NOT NULL, added INTEGER NOT NULL, changed INTEGER NOT NULL, deleted INTEGER NOT NULL, articles INTEGER NOT NULL, seconds REAL NOT NULL, errors TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS query_days (day TEXT NOT NULL, query TEXT NOT NULL, searches INTEGER NOT NULL DEFAULT 0, no_results INTEGER NOT NULL DEFAULT 0, clicks INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, query));
CREATE TABLE IF NOT EXISTS synonym_groups (id INTEGER PRIMARY KEY, line TEXT NOT NULL UNIQUE, at TEXT NOT NULL, by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS click_positions (day TEXT NOT NULL, position INTEGER NOT NULL, clicks INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, position));
`;

interface OverlayRow {
  id: string;
  correction: string | null;
  state: OverlayEntry["state"];
  note: string | null;
  title: string;
  updated: string;
  by: string | null;
}

const overlayEntry = (r: OverlayRow): OverlayEntry => ({ ...r, correction: r.correction ? (JSON.parse(r.correction) as OverlayEntry["correction"]) : null });

/** Every day from `from` to `to` (YYYY-MM-DD, UTC), at most 3,700. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < 3700; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  hash: string;
  disabled: number;
  created: string;
}

const account = (r: UserRow): Account => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, created: r.created });

/** The store's methods as SQLite answers them: at once. */
type Synchronous = { [K in Exclude<keyof AdminStore, "sharedUploads">]: AdminStore[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

export function sqliteStore(file: string): AdminStore {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.exec(SCHEMA);
  const q = {
    add: db.prepare("INSERT INTO users (name, role, hash, created) VALUES (?, ?, ?, ?)"),
    byName: db.prepare<[string], UserRow>("SELECT * FROM users WHERE name = ?"),
    byId: db.prepare<[number], UserRow>("SELECT * FROM users WHERE id = ?"),
    all: db.prepare<[], UserRow>("SELECT * FROM users ORDER BY name"),
    setHash: db.prepare("UPDATE users SET hash = ? WHERE name = ?"),
    setDisabled: db.prepare("UPDATE users SET disabled = ? WHERE name = ?"),
    addSession: db.prepare("INSERT INTO sessions (id_hash, user_id, created_ms, seen_ms, csrf) VALUES (?, ?, ?, ?, ?)"),
    session: db.prepare<[string], { id_hash: string; user_id: number; created_ms: number; seen_ms: number; csrf: string }>("SELECT * FROM sessions WHERE id_hash = ?"),
    touch: db.prepare("UPDATE sessions SET seen_ms = ? WHERE id_hash = ?"),
    dropSession: db.prepare("DELETE FROM sessions WHERE id_hash = ?"),
    dropSessionsOf: db.prepare("DELETE FROM sessions WHERE user_id = ?"),
    attempt: db.prepare("INSERT INTO attempts (key, at_ms) VALUES (?, ?)"),
    prune: db.prepare("DELETE FROM attempts WHERE at_ms < ?"),
    count: db.prepare<[string, number], { n: number }>("SELECT COUNT(*) AS n FROM attempts WHERE key = ? AND at_ms >= ?"),
    clear: db.prepare("DELETE FROM attempts WHERE key = ?"),
    forget: db.prepare("DELETE FROM attempts WHERE rowid = (SELECT rowid FROM attempts WHERE key = ? AND at_ms = ? LIMIT 1)"),
    audit: db.prepare("INSERT INTO audit (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)"),
    log: db.prepare<[number], AuditEntry>("SELECT * FROM audit ORDER BY id DESC LIMIT ?"),
    overlay: db.prepare<[], OverlayRow>("SELECT * FROM overlay ORDER BY updated DESC, id"),
    overlayOf: db.prepare<[string], OverlayRow>("SELECT * FROM overlay WHERE id = ?"),
    putOverlay: db.prepare(
      "INSERT INTO overlay (id, correction, state, note, title, updated, by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET correction = excluded.correction, state = excluded.state, note = excluded.note, title = excluded.title, updated = excluded.updated, by = excluded.by",
    ),
    dropOverlay: db.prepare("DELETE FROM overlay WHERE id = ?"),
    addRun: db.prepare("INSERT INTO index_runs (at, generation, trigger, actor, kind, added, changed, deleted, articles, seconds, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    runs: db.prepare<[number], Omit<IndexRunRecord, "errors"> & { errors: string }>("SELECT at, generation, trigger, actor, kind, added, changed, deleted, articles, seconds, errors FROM index_runs ORDER BY id DESC LIMIT ?"),
    counts: db.prepare(
      "INSERT INTO query_days (day, query, searches, no_results, clicks) VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, query) DO UPDATE SET searches = searches + excluded.searches, no_results = no_results + excluded.no_results, clicks = clicks + excluded.clicks",
    ),
    position: db.prepare("INSERT INTO click_positions (day, position, clicks) VALUES (?, ?, ?) ON CONFLICT (day, position) DO UPDATE SET clicks = clicks + excluded.clicks"),
    top: db.prepare<[string, string, number], QueryCount>(
      "SELECT query, SUM(searches) AS searches, SUM(no_results) AS noResults, SUM(clicks) AS clicks FROM query_days WHERE day BETWEEN ? AND ? AND searches > 0 GROUP BY query ORDER BY searches DESC, query LIMIT ?",
    ),
    topEmpty: db.prepare<[string, string, number], QueryCount>(
      "SELECT query, SUM(searches) AS searches, SUM(no_results) AS noResults, SUM(clicks) AS clicks FROM query_days WHERE day BETWEEN ? AND ? GROUP BY query HAVING SUM(no_results) > 0 ORDER BY noResults DESC, query LIMIT ?",
    ),
    perDay: db.prepare<[string, string], { day: string; searches: number; noResults: number }>(
      "SELECT day, SUM(searches) AS searches, SUM(no_results) AS noResults FROM query_days WHERE day BETWEEN ? AND ? GROUP BY day",
    ),
    positions: db.prepare<[string, string], { position: number; clicks: number }>("SELECT position, SUM(clicks) AS clicks FROM click_positions WHERE day BETWEEN ? AND ? GROUP BY position ORDER BY position"),
    synonyms: db.prepare<[], { line: string }>("SELECT line FROM synonym_groups ORDER BY id"),
    addSynonym: db.prepare("INSERT INTO synonym_groups (line, at, by) VALUES (?, ?, ?) ON CONFLICT (line) DO NOTHING"),
    totals: db.prepare<[string, string], { searches: number | null; noResults: number | null; clicks: number | null; queries: number }>(
      "SELECT SUM(searches) AS searches, SUM(no_results) AS noResults, SUM(clicks) AS clicks, COUNT(DISTINCT query) AS queries FROM query_days WHERE day BETWEEN ? AND ? AND searches > 0",
    ),
  };
  const countBatch = db.transaction((rows: QueryDayCount[], clicks: ClickCount[]) => {
    for (const r of rows) q.counts.run(r.day, r.query, r.searches, r.noResults, r.clicks);
    for (const c of clicks) q.position.run(c.day, c.position, c.clicks);
  });
  const failures = db.transaction((keys: string[], nowMs: number, sinceMs: number, record: boolean) => {
    q.prune.run(sinceMs);
    if (record) for (const key of keys) q.attempt.run(key, nowMs);
    return keys.map((key) => q.count.get(key, sinceMs)!.n);
  });
  const sync: Synchronous = {
    addAccount(name, role, hash) {
      const info = q.add.run(name, role, hash, new Date().toISOString());
      return account(q.byId.get(Number(info.lastInsertRowid))!);
    },
    account(name) {
      const r = q.byName.get(name);
      return r ? { ...account(r), hash: r.hash } : null;
    },
    accountById(id) {
      const r = q.byId.get(id);
      return r ? account(r) : null;
    },
    accounts: () => q.all.all().map(account),
    setPassword: (name, hash) => q.setHash.run(hash, name).changes === 1,
    setDisabled: (name, disabled) => q.setDisabled.run(disabled ? 1 : 0, name).changes === 1,
    createSession: (s) => void q.addSession.run(s.idHash, s.userId, s.createdMs, s.seenMs, s.csrf),
    session(idHash) {
      const r = q.session.get(idHash);
      return r ? { idHash: r.id_hash, userId: r.user_id, createdMs: r.created_ms, seenMs: r.seen_ms, csrf: r.csrf } : null;
    },
    touchSession: (idHash, seenMs) => void q.touch.run(seenMs, idHash),
    deleteSession: (idHash) => void q.dropSession.run(idHash),
    deleteSessionsOf: (userId) => void q.dropSessionsOf.run(userId),
    failures: (keys, nowMs, sinceMs, record) => failures(keys, nowMs, sinceMs, record),
    clearFailures: (key) => void q.clear.run(key),
    forgetAttempt: (key, atMs) => void q.forget.run(key, atMs),
    audit: (e, at = new Date()) => void q.audit.run(at.toISOString(), e.actor, e.action, e.target, e.before, e.after),
    auditLog: (limit) => q.log.all(limit),
    overlay: () => q.overlay.all().map(overlayEntry),
    overlayOf(id) {
      const r = q.overlayOf.get(id);
      return r ? overlayEntry(r) : null;
    },
    putOverlay(e) {
      const correction = e.correction && Object.keys(e.correction).length ? JSON.stringify(e.correction) : null;
      if (!correction && !e.state) q.dropOverlay.run(e.id);
      else q.putOverlay.run(e.id, correction, e.state, e.note, e.title, new Date().toISOString(), e.by);
    },
    recordRun: (r) => void q.addRun.run(r.at, r.generation, r.trigger, r.actor, r.kind, r.added, r.changed, r.deleted, r.articles, r.seconds, JSON.stringify(r.errors)),
    runs: (limit) => q.runs.all(limit).map((r) => ({ ...r, errors: JSON.parse(r.errors) as IndexRunRecord["errors"] })),
    countBatch: (rows, clicks) => void countBatch(rows, clicks),
    queryReport(from, to, limit) {
      const perDay = new Map(q.perDay.all(from, to).map((d) => [d.day, d]));
      const t = q.totals.get(from, to)!;
      return {
        from,
        to,
        top: q.top.all(from, to, limit),
        noResults: q.topEmpty.all(from, to, limit),
        days: daysBetween(from, to).map((day) => ({ day, searches: perDay.get(day)?.searches ?? 0, noResults: perDay.get(day)?.noResults ?? 0 })),
        positions: q.positions.all(from, to),
        totals: { searches: t.searches ?? 0, noResults: t.noResults ?? 0, clicks: t.clicks ?? 0, queries: t.queries },
      };
    },
    synonymGroups: () => q.synonyms.all().map((r) => r.line),
    addSynonymGroup: (line, by) => void q.addSynonym.run(line, new Date().toISOString(), by),
    close: () => db.close(),
  };
  // The interface is asynchronous (PostgreSQL's is); SQLite answers at once.
  return Object.fromEntries(Object.entries(sync).map(([k, f]) => [k, (...args: unknown[]) => Promise.resolve((f as (...a: unknown[]) => unknown)(...args))])) as unknown as AdminStore;
}
