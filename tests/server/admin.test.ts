// The back office's door, attacked through `npm start`: pages and actions
// without a session, cross-site posts, missing and wrong anti-forgery tokens,
// an editor on an admin's action, sessions after sign-out, a flood of wrong
// passwords, and a wrong name answered as a wrong password.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/admin/passwords";
import { sqliteStore } from "@/lib/admin/sqlite-store";
import { makeLibrary, type Library } from "../../testkit/library";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";

const PASSWORD = "一段足够长的测试口令 2026";
let lib: Library;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  lib = await makeLibrary("admin");
  dir = mkdtempSync(path.join(os.tmpdir(), "admin-db-"));
  const db = path.join(dir, "admin.sqlite");
  const store = sqliteStore(db);
  const hash = await hashPassword(PASSWORD);
  store.addAccount("admin1", "admin", hash);
  store.addAccount("editor1", "editor", hash);
  store.addAccount("flooded", "editor", hash);
  store.close();
  server = await startProductionServer(lib.index, { cluster: true, env: { ADMIN_DB: db, WEB_CONCURRENCY: "2" } });
}, 300_000);

afterAll(async () => {
  server?.stop();
  await lib?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A POST as the site's own form sends it (Origin set), with a cookie when given. */
function post(url: string, fields: Record<string, string>, options: { cookie?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  const origin = options.origin === undefined ? server.base : options.origin;
  if (origin !== null) headers.Origin = origin;
  if (options.cookie) headers.Cookie = options.cookie;
  return fetch(server.base + url, { method: "POST", headers, body: form(fields), redirect: "manual" });
}

async function signIn(name: string, password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const r = await post("/api/admin/login", { name, password });
  expect(r.status).toBe(303);
  expect(r.headers.get("location")).toBe("/admin");
  const set = r.headers.get("set-cookie")!;
  expect(set).toMatch(/^dj_admin=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/u);
  const cookie = set.split(";")[0];
  const page = await (await fetch(`${server.base}/admin`, { headers: { Cookie: cookie }, redirect: "manual" })).text();
  const csrf = /name="csrf" value="([\w-]+)"/u.exec(page)![1];
  return { cookie, csrf };
}

describe("the back office's door", () => {
  it("without a session: /admin goes to the sign-in page, every action is a 401", async () => {
    const page = await fetch(`${server.base}/admin`, { redirect: "manual" });
    expect([303, 307]).toContain(page.status);
    expect(page.headers.get("location")).toMatch(/\/admin\/login$/u);
    expect((await fetch(`${server.base}/admin/login`)).status).toBe(200);
    for (const url of ["/api/admin/logout", "/api/admin/accounts"]) expect((await post(url, { csrf: "x", action: "disable", name: "editor1" })).status, url).toBe(401);
    // A forged or stale cookie is no session either.
    expect((await post("/api/admin/logout", { csrf: "x" }, { cookie: "dj_admin=forged-token-forged-token-forged-token-123" })).status).toBe(401);
  });

  it("signs in with a fresh HttpOnly SameSite=Strict cookie, and shows who is signed in; the page is never cached", async () => {
    const { cookie } = await signIn("admin1");
    const r = await fetch(`${server.base}/admin`, { headers: { Cookie: cookie } });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toMatch(/no-store/u);
    const html = await r.text();
    expect(html).toContain("admin1");
    expect(await (await fetch(`${server.base}/admin/accounts`, { headers: { Cookie: cookie } })).text()).toContain('data-testid="audit-log"');
    const again = await signIn("admin1");
    expect(again.cookie).not.toBe(cookie);
  });

  it("refuses cross-site posts (another Origin, none at all) to sign in, sign out and change accounts", async () => {
    const { cookie, csrf } = await signIn("admin1");
    for (const origin of ["https://evil.example", "null", null]) {
      expect((await post("/api/admin/login", { name: "admin1", password: PASSWORD }, { origin })).status, `login from ${origin}`).toBe(403);
      expect((await post("/api/admin/logout", { csrf }, { cookie, origin })).status, `logout from ${origin}`).toBe(403);
      expect((await post("/api/admin/accounts", { csrf, action: "disable", name: "editor1" }, { cookie, origin })).status, `accounts from ${origin}`).toBe(403);
    }
    // The session is still there: nothing was done.
    expect((await fetch(`${server.base}/admin`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
  });

  it("refuses a change without the session's own anti-forgery token, or with another session's", async () => {
    const a = await signIn("admin1");
    const b = await signIn("admin1");
    for (const csrf of ["", "wrong", b.csrf]) expect((await post("/api/admin/accounts", { csrf, action: "disable", name: "editor1" }, { cookie: a.cookie })).status, csrf).toBe(403);
    expect((await post("/api/admin/accounts", { action: "disable", name: "editor1" }, { cookie: a.cookie })).status).toBe(403);
  });

  it("an editor may not do an admin's action (403), and sees no accounts", async () => {
    const { cookie, csrf } = await signIn("editor1");
    expect((await post("/api/admin/accounts", { csrf, action: "disable", name: "admin1" }, { cookie })).status).toBe(403);
    const html = await (await fetch(`${server.base}/admin/accounts`, { headers: { Cookie: cookie } })).text();
    expect(html).not.toContain('data-testid="accounts"');
  });

  it("an admin disables an account: its sessions end at once; enabled again, it signs in", async () => {
    const editor = await signIn("editor1");
    const admin = await signIn("admin1");
    expect((await post("/api/admin/accounts", { csrf: admin.csrf, action: "disable", name: "editor1" }, { cookie: admin.cookie })).status).toBe(303);
    expect((await fetch(`${server.base}/admin`, { headers: { Cookie: editor.cookie }, redirect: "manual" })).headers.get("location")).toMatch(/\/admin\/login$/u);
    expect((await post("/api/admin/login", { name: "editor1", password: PASSWORD })).headers.get("location")).toBe("/admin/login?error=invalid");
    expect((await post("/api/admin/accounts", { csrf: admin.csrf, action: "enable", name: "editor1" }, { cookie: admin.cookie })).status).toBe(303);
    await signIn("editor1");
    const log = await (await fetch(`${server.base}/admin/accounts`, { headers: { Cookie: admin.cookie } })).text();
    expect(log).toContain("account disabled");
    expect(log).toContain("account enabled");
  });

  it("the audit log exports as CSV for admins only: who, what, when, before and after", async () => {
    expect((await fetch(`${server.base}/api/admin/audit`)).status).toBe(401);
    const editor = await signIn("editor1");
    expect((await fetch(`${server.base}/api/admin/audit`, { headers: { Cookie: editor.cookie } })).status).toBe(403);
    const admin = await signIn("admin1");
    const r = await fetch(`${server.base}/api/admin/audit`, { headers: { Cookie: admin.cookie } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="dangjian-audit-\d{8}\.csv"; filename\*=UTF-8''/u);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("时间（UTC）,谁,做了什么,对象,之前,之后");
    expect(lines.some((l) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,admin1,sign-in,,,$/u.test(l))).toBe(true);
    expect(lines.some((l) => l.includes(',admin1,account disabled,editor1,"{""disabled"":false}","{""disabled"":true}"'))).toBe(true);
  });

  it("sign-out ends the session on the server: the old cookie opens nothing", async () => {
    const { cookie, csrf } = await signIn("editor1");
    const out = await post("/api/admin/logout", { csrf }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^dj_admin=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/u);
    expect((await fetch(`${server.base}/admin`, { headers: { Cookie: cookie }, redirect: "manual" })).headers.get("location")).toMatch(/\/admin\/login$/u);
    expect((await post("/api/admin/logout", { csrf }, { cookie })).status).toBe(401);
  });

  it("answers a wrong name exactly as a wrong password", async () => {
    const wrongName = await post("/api/admin/login", { name: "nobody-here", password: PASSWORD });
    const wrongPassword = await post("/api/admin/login", { name: "editor1", password: "not the password at all" });
    expect([wrongName.status, wrongName.headers.get("location")]).toEqual([303, "/admin/login?error=invalid"]);
    expect([wrongPassword.status, wrongPassword.headers.get("location")]).toEqual([303, "/admin/login?error=invalid"]);
    expect(wrongName.headers.get("set-cookie")).toBeNull();
    expect(wrongPassword.headers.get("set-cookie")).toBeNull();
  });

  // Last: it throttles this address (127.0.0.1) for the window.
  it("1,000 wrong sign-ins against one account: none accepted, throttled after 5, the right password refused while throttled", async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1000; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => post("/api/admin/login", { name: "flooded", password: `wrong password ${i + k}` })));
      for (const r of batch) {
        expect(r.headers.get("set-cookie")).toBeNull();
        outcomes.set(r.headers.get("location")!, (outcomes.get(r.headers.get("location")!) ?? 0) + 1);
      }
    }
    console.log(`1,000 wrong sign-ins: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect([...outcomes.keys()].sort()).toEqual(["/admin/login?error=invalid", "/admin/login?error=throttled"]);
    expect(outcomes.get("/admin/login?error=throttled")).toBeGreaterThanOrEqual(990);
    const right = await post("/api/admin/login", { name: "flooded", password: PASSWORD });
    expect(right.headers.get("location")).toBe("/admin/login?error=throttled");
    expect(right.headers.get("set-cookie")).toBeNull();
  }, 120_000);
});
