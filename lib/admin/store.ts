// What the back office keeps: accounts, sessions, sign-in attempts (for
// throttling) and the audit log. One interface; the embedded default is a
// SQLite file beside the index (sqlite-store.ts).

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
  addAccount(name: string, role: Role, hash: string): Account;
  account(name: string): (Account & { hash: string }) | null;
  accountById(id: number): Account | null;
  accounts(): Account[];
  setPassword(name: string, hash: string): boolean;
  setDisabled(name: string, disabled: boolean): boolean;
  createSession(row: SessionRow): void;
  session(idHash: string): SessionRow | null;
  touchSession(idHash: string, seenMs: number): void;
  deleteSession(idHash: string): void;
  /** Ends every session of an account (a password change, a disabled account). */
  deleteSessionsOf(userId: number): void;
  /** Records a failed sign-in under these keys (account, address), drops attempts older than `sinceMs`, and returns each key's count since then. */
  failures(keys: string[], nowMs: number, sinceMs: number, record: boolean): number[];
  clearFailures(key: string): void;
  /** Forgets one attempt recorded under `key` at `atMs` (a sign-in that turned out right). */
  forgetAttempt(key: string, atMs: number): void;
  audit(entry: Omit<AuditEntry, "id" | "at">, at?: Date): void;
  auditLog(limit: number): AuditEntry[];
  close(): void;
}
