// Signing in and out, and sessions (OWASP ASVS level 1, chapters 2 and 3):
//   - a wrong name and a wrong password get the same answer and take as long
//     (an unknown name is checked against a dummy hash);
//   - sign-in is throttled per account name (5 failures in 15 minutes) and
//     per address (50), whether or not the name exists; each attempt counts
//     before its password is checked (so a burst sent at once is counted),
//     a throttled attempt is refused without checking the password, and the
//     right password works again once the window has passed;
//   - a session is a random 256-bit token in the cookie, kept only as its
//     sha256; a new one at every sign-in; it ends after 30 minutes idle or 12
//     hours in all, at sign-out, and when its account is disabled or its
//     password changed;
//   - each session has its own anti-forgery token, which forms carry.
import { createHash, randomBytes } from "node:crypto";
import { dummyHash, verifyPassword } from "@/lib/admin/passwords";
import type { Account, AdminStore, SessionRow } from "@/lib/admin/store";

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3600_000;
export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 50;
/** A session's last-seen time is written at most this often (every request would be a write). */
const TOUCH_MS = 60_000;

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** The keys sign-in failures are counted under (a name in any case or width is one account). */
const accountKey = (name: string) => `name:${name.normalize("NFKC").trim().toLowerCase()}`;
const addressKey = (address: string) => `addr:${address}`;

export type SignIn = { ok: true; token: string; account: Account; session: SessionRow } | { ok: false; reason: "invalid" | "throttled" };

export async function signIn(store: AdminStore, name: string, password: string, address: string, now = Date.now()): Promise<SignIn> {
  const keys = [accountKey(name), addressKey(address)];
  const since = now - THROTTLE_WINDOW_MS;
  // Counted as a failure before the password is checked (and forgotten if it was right): attempts sent at once
  // cannot all pass the count before any of them is recorded.
  const [byAccount, byAddress] = await store.failures(keys, now, since, true);
  if (byAccount > MAX_FAILURES_PER_ACCOUNT || byAddress > MAX_FAILURES_PER_ADDRESS) return { ok: false, reason: "throttled" };
  const found = await store.account(name.trim());
  const usable = found && !found.disabled ? found : null;
  // The same work for an unknown or disabled name as for a known one.
  const right = await verifyPassword(password, usable ? usable.hash : await dummyHash());
  if (!usable || !right) {
    await store.audit({ actor: null, action: "sign-in failed", target: name.slice(0, 64), before: null, after: null });
    return { ok: false, reason: "invalid" };
  }
  await store.clearFailures(keys[0]);
  await store.forgetAttempt(keys[1], now);
  const token = randomBytes(32).toString("base64url");
  const session: SessionRow = { idHash: tokenHash(token), userId: usable.id, createdMs: now, seenMs: now, csrf: randomBytes(32).toString("base64url") };
  await store.createSession(session);
  await store.audit({ actor: usable.name, action: "sign-in", target: null, before: null, after: null });
  const { hash: _hash, ...account } = usable;
  return { ok: true, token, account, session };
}

/** The account and session a cookie's token stands for, or null (unknown, expired, or its account disabled): expired ones are deleted. */
export async function sessionOf(store: AdminStore, token: string | null | undefined, now = Date.now()): Promise<{ account: Account; session: SessionRow } | null> {
  if (!token || token.length > 100) return null;
  const idHash = tokenHash(token);
  const session = await store.session(idHash);
  if (!session) return null;
  const account = await store.accountById(session.userId);
  if (!account || account.disabled || now - session.seenMs > IDLE_MS || now - session.createdMs > ABSOLUTE_MS) {
    await store.deleteSession(idHash);
    return null;
  }
  if (now - session.seenMs > TOUCH_MS) await store.touchSession(idHash, now);
  return { account, session };
}

export async function signOut(store: AdminStore, token: string | null | undefined): Promise<void> {
  if (!token) return;
  const found = await sessionOf(store, token);
  await store.deleteSession(tokenHash(token));
  if (found) await store.audit({ actor: found.account.name, action: "sign-out", target: null, before: null, after: null });
}
