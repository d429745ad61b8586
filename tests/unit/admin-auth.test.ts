// The back office's sign-in and sessions, attacked: wrong names and wrong
// passwords alike, throttling per account and per address, expiry, sign-out,
// disabled accounts, and an audit log that cannot be rewritten.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABSOLUTE_MS, IDLE_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, sessionOf, signIn, signOut, THROTTLE_WINDOW_MS } from "@/lib/admin/auth";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/admin/passwords";
import { postgresAdminStore } from "@/lib/admin/postgres-admin-store";
import { sqliteStore } from "@/lib/admin/sqlite-store";
import type { AdminStore } from "@/lib/admin/store";
import { startPostgres, type TestPostgres } from "@/testkit/postgres";

const PASSWORD = "正确的密码 correct horse";
let dir: string;
let store: AdminStore;

let pg: TestPostgres | undefined;
let pgUrl = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "admin-auth-"));
});

afterAll(() => {
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Each backend's store, and a way to run SQL on its audit table past the store (as anyone with access to the database could). */
const BACKENDS = [
  {
    name: "SQLite",
    open: async () => sqliteStore(path.join(dir, "admin.sqlite")),
    tamper: async (sql: string) => {
      const raw = new Database(path.join(dir, "admin.sqlite"));
      try {
        raw.prepare(sql).run();
      } finally {
        raw.close();
      }
    },
  },
  {
    name: "PostgreSQL",
    open: async () => {
      pg = await startPostgres();
      pgUrl = await pg.database("admin_auth");
      return postgresAdminStore(pgUrl);
    },
    tamper: async (sql: string) => {
      const c = new Client({ connectionString: pgUrl });
      await c.connect();
      try {
        await c.query(sql.replace("audit", "admin.audit"));
      } finally {
        await c.end();
      }
    },
  },
];

describe("passwords", () => {
  it("are scrypt hashes with their parameters and a salt of their own; only the right password verifies", async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$17\$8\$1\$[\w-]{22}\$[\w-]{43}$/u);
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD} `, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, "scrypt$17$8$1$bad")).toBe(false);
    expect(await verifyPassword(PASSWORD, "")).toBe(false);
  });

  it("are at least 12 characters", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/u);
    expect(passwordProblem("十二个汉字组成的一句口令啊")).toBeNull();
  });
});

describe.each(BACKENDS)("with the $name store", (backend) => {
  beforeAll(async () => {
    store = await backend.open();
    const hash = await hashPassword(PASSWORD);
    await store.addAccount("editor1", "editor", hash);
    await store.addAccount("admin1", "admin", hash);
    await store.addAccount("gone", "editor", hash);
    await store.setDisabled("gone", true);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  describe("signing in", () => {
    it("gives a session whose token is stored only as its hash; sign-out ends it", async () => {
      const r = await signIn(store, "editor1", PASSWORD, "10.0.0.1");
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.token).toMatch(/^[\w-]{43}$/u);
      expect(r.session.idHash).not.toContain(r.token);
      expect((await sessionOf(store, r.token))?.account.name).toBe("editor1");
      await signOut(store, r.token);
      expect(await sessionOf(store, r.token)).toBeNull();
    });

    it("a new session at every sign-in", async () => {
      const a = await signIn(store, "admin1", PASSWORD, "10.0.0.2");
      const b = await signIn(store, "admin1", PASSWORD, "10.0.0.2");
      expect(a.ok && b.ok && a.token !== b.token && a.session.csrf !== b.session.csrf).toBe(true);
    });

    it("answers a wrong name, a disabled account and a wrong password alike", async () => {
      const answers = [await signIn(store, "nobody", PASSWORD, "10.0.1.1"), await signIn(store, "gone", PASSWORD, "10.0.1.2"), await signIn(store, "admin1", "wrong password here", "10.0.1.3")];
      expect(answers).toEqual([
        { ok: false, reason: "invalid" },
        { ok: false, reason: "invalid" },
        { ok: false, reason: "invalid" },
      ]);
    });

    it("throttles an account after 5 failures, for any address, even with the right password; it works again after the window", async () => {
      const t0 = Date.now();
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) expect((await signIn(store, "editor1", `wrong ${i}`, `10.1.0.${i}`, t0)).ok).toBe(false);
      expect(await signIn(store, "editor1", PASSWORD, "10.1.9.9", t0 + 1000)).toEqual({ ok: false, reason: "throttled" });
      expect(await signIn(store, "EDITOR1", PASSWORD, "10.1.9.9", t0 + 1000)).toEqual({ ok: false, reason: "throttled" });
      expect((await signIn(store, "editor1", PASSWORD, "10.1.9.9", t0 + THROTTLE_WINDOW_MS + 1000)).ok).toBe(true);
    });

    it("throttles a name that does not exist the same way (throttling tells nothing)", async () => {
      const t0 = Date.now();
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await signIn(store, "ghost", `wrong ${i}`, `10.2.0.${i}`, t0);
      expect(await signIn(store, "ghost", PASSWORD, "10.2.9.9", t0)).toEqual({ ok: false, reason: "throttled" });
    });

    it("counts a burst sent at once: of 30 wrong attempts in parallel, at most 5 get their password checked", async () => {
      const t0 = Date.now();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(store, "burst", `wrong ${i}`, `10.6.0.${i}`, t0)));
      expect(answers.filter((a) => !a.ok && a.reason === "invalid").length).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
      expect(answers.filter((a) => !a.ok && a.reason === "throttled").length).toBeGreaterThanOrEqual(25);
    });

    it("a right sign-in does not count against its address", async () => {
      const t0 = Date.now();
      for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 5; i++) expect((await signIn(store, "admin1", PASSWORD, "10.7.7.7", t0)).ok).toBe(true);
    }, 60_000);

    it("throttles an address that tries many names", async () => {
      const t0 = Date.now();
      for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await store.failures([`name:spray${i}`, "addr:10.3.3.3"], t0, t0 - THROTTLE_WINDOW_MS, true);
      expect(await signIn(store, "admin1", PASSWORD, "10.3.3.3", t0)).toEqual({ ok: false, reason: "throttled" });
      expect((await signIn(store, "admin1", PASSWORD, "10.3.3.4", t0)).ok).toBe(true);
    });
  });

  describe("sessions", () => {
    it("end after 30 minutes idle", async () => {
      const t0 = Date.now();
      const r = await signIn(store, "admin1", PASSWORD, "10.4.0.1", t0);
      if (!r.ok) throw new Error("sign-in");
      expect(await sessionOf(store, r.token, t0 + IDLE_MS - 1000)).not.toBeNull();
      expect(await sessionOf(store, r.token, t0 + IDLE_MS - 1000 + IDLE_MS + 1)).toBeNull();
      // And stay ended.
      expect(await sessionOf(store, r.token, t0 + 1000)).toBeNull();
    });

    it("end after 12 hours however busy", async () => {
      const t0 = Date.now();
      const r = await signIn(store, "admin1", PASSWORD, "10.4.0.2", t0);
      if (!r.ok) throw new Error("sign-in");
      let t = t0;
      for (; t < t0 + ABSOLUTE_MS - IDLE_MS; t += IDLE_MS / 2) expect(await sessionOf(store, r.token, t), `at ${(t - t0) / 3600_000} h`).not.toBeNull();
      expect(await sessionOf(store, r.token, t0 + ABSOLUTE_MS + 1)).toBeNull();
    });

    it("end when the account is disabled; forged, empty and over-long tokens name nothing", async () => {
      const hash = await hashPassword(PASSWORD);
      await store.addAccount("temp", "editor", hash);
      const r = await signIn(store, "temp", PASSWORD, "10.5.0.1");
      if (!r.ok) throw new Error("sign-in");
      await store.setDisabled("temp", true);
      expect(await sessionOf(store, r.token)).toBeNull();
      for (const t of ["", "x", r.token.slice(1), "a".repeat(10_000), null, undefined]) expect(await sessionOf(store, t)).toBeNull();
    });
  });

  describe("the audit log", () => {
    it("records sign-ins and failures, and cannot be changed or deleted", async () => {
      const log = await store.auditLog(1000);
      expect(log.some((e) => e.action === "sign-in" && e.actor === "admin1")).toBe(true);
      expect(log.some((e) => e.action === "sign-in failed" && e.target === "nobody")).toBe(true);
      expect(log.some((e) => e.action === "sign-out" && e.actor === "editor1")).toBe(true);
      // Another connection to the same database, as anyone with access to it could try.
      await expect(backend.tamper("UPDATE audit SET actor = 'someone else'")).rejects.toThrow(/append-only/u);
      await expect(backend.tamper("DELETE FROM audit")).rejects.toThrow(/append-only/u);
      expect((await store.auditLog(1000)).length).toBe(log.length);
    });
  });
});
