// The back office's store in a SQLite file (better-sqlite3): the embedded
// default, no server to run. WAL mode and a busy timeout let every cluster
// worker (and the users command) use the file at once.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Account, AdminStore, AuditEntry, Role } from "@/lib/admin/store";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), created_ms INTEGER NOT NULL, seen_ms INTEGER NOT NULL, csrf TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_key ON attempts (key, at_ms);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT, before TEXT, after TEXT);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

interface UserRow {
  id: number;
  name: string;
  role: Role;
  hash: string;
  disabled: number;
  created: string;
}

const account = (r: UserRow): Account => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, created: r.created });

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
  };
  const failures = db.transaction((keys: string[], nowMs: number, sinceMs: number, record: boolean) => {
    q.prune.run(sinceMs);
    if (record) for (const key of keys) q.attempt.run(key, nowMs);
    return keys.map((key) => q.count.get(key, sinceMs)!.n);
  });
  return {
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
    close: () => db.close(),
  };
}
