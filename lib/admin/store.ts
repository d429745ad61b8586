// What the back office keeps: accounts, sessions, sign-in attempts (for
// throttling), the audit log, editors' corrections and withdrawals (the
// overlay), the index runs it started, and what readers search for (counts
// per query and day, nothing about who). One interface, asynchronous: the
// embedded default is a SQLite file beside the index (sqlite-store.ts); with
// SEARCH_BACKEND=postgres it lives in PostgreSQL (postgres-admin-store.ts),
// shared by every replica.
import type { OverlayEntry } from "@/lib/content/overlay";

export const ROLES = ["editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  created: string;
}

export interface SessionRow {
  /** sha256 of the token the cookie holds (the token itself is never stored). */
  idHash: string;
  userId: number;
  createdMs: number;
  seenMs: number;
  /** This session's anti-forgery token (forms carry it; cross-site pages cannot read it). */
  csrf: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  /** The account that acted, or null (a failed sign-in, the command line). */
  actor: string | null;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
}

export interface AdminStore {
  addAccount(name: string, role: Role, hash: string): Promise<Account>;
  account(name: string): Promise<(Account & { hash: string }) | null>;
  accountById(id: number): Promise<Account | null>;
  accounts(): Promise<Account[]>;
  setPassword(name: string, hash: string): Promise<boolean>;
  setDisabled(name: string, disabled: boolean): Promise<boolean>;
  createSession(row: SessionRow): Promise<void>;
  session(idHash: string): Promise<SessionRow | null>;
  touchSession(idHash: string, seenMs: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an account (a password change, a disabled account). */
  deleteSessionsOf(userId: number): Promise<void>;
  /** Records a failed sign-in under these keys (account, address), drops attempts older than `sinceMs`, and returns each key's count since then. */
  failures(keys: string[], nowMs: number, sinceMs: number, record: boolean): Promise<number[]>;
  clearFailures(key: string): Promise<void>;
  /** Forgets one attempt recorded under `key` at `atMs` (a sign-in that turned out right). */
  forgetAttempt(key: string, atMs: number): Promise<void>;
  audit(entry: Omit<AuditEntry, "id" | "at">, at?: Date): Promise<void>;
  auditLog(limit: number): Promise<AuditEntry[]>;
  /** Every correction and withdrawal, newest first. */
  overlay(): Promise<OverlayEntry[]>;
  overlayOf(id: string): Promise<OverlayEntry | null>;
  /** Sets an article's entry; one with neither a correction nor a state is removed. */
  putOverlay(entry: Omit<OverlayEntry, "updated">): Promise<void>;
  recordRun(run: IndexRunRecord): Promise<void>;
  /** The newest runs first. */
  runs(limit: number): Promise<IndexRunRecord[]>;
  /** Adds counts per normalised query and day (YYYY-MM-DD), and opened results per position, in one transaction. */
  countBatch(queries: QueryDayCount[], positions: ClickCount[]): Promise<void>;
  queryReport(from: string, to: string, limit: number): Promise<QueryReport>;
  /** Synonym groups added in the back office ("a | b | c"), oldest first: every index run puts them into its generation. */
  synonymGroups(): Promise<string[]>;
  addSynonymGroup(line: string, by: string): Promise<void>;
  /**
   * Uploaded files kept in the store itself (PostgreSQL: every replica's
   * index run sees every upload); absent when uploads live only in
   * CONTENT_DIR/uploads (the embedded default).
   */
  sharedUploads?: SharedUploads;
  close(): Promise<void>;
}

export interface SharedUploads {
  list(): Promise<Array<{ path: string; sha256: string }>>;
  get(path: string): Promise<Buffer | null>;
  put(path: string, bytes: Buffer): Promise<void>;
  remove(path: string): Promise<void>;
}

/** One index run the back office started (or `npm run index`), as the ingest report shows it. */
export interface IndexRunRecord {
  at: string;
  /** The generation published, or null when nothing changed. */
  generation: string | null;
  /** What started it: "upload", "correction", "rerun", "synonyms", "command"… */
  trigger: string;
  actor: string | null;
  kind: "full" | "incremental" | "live";
  added: number;
  changed: number;
  deleted: number;
  articles: number;
  seconds: number;
  /** Every input that failed in this run, with why. */
  errors: Array<{ file: string; line?: number; message: string }>;
}

export interface QueryDayCount {
  day: string;
  query: string;
  searches: number;
  noResults: number;
  clicks: number;
}

export interface ClickCount {
  day: string;
  /** 1-based. */
  position: number;
  clicks: number;
}

export interface QueryCount {
  query: string;
  searches: number;
  noResults: number;
  clicks: number;
}

export interface QueryReport {
  from: string;
  to: string;
  /** Most searched queries. */
  top: QueryCount[];
  /** Most searched queries that found nothing (their searches that found nothing). */
  noResults: QueryCount[];
  /** Searches and no-result searches per day, every day of the period. */
  days: Array<{ day: string; searches: number; noResults: number }>;
  /** Opened results per position (1-based). */
  positions: Array<{ position: number; clicks: number }>;
  totals: { searches: number; noResults: number; clicks: number; queries: number };
}
