// The back office with SEARCH_BACKEND=postgres on two replicas (two
// production servers, each with its own content folder, one database):
// a session made on one works on the other and ends on both at sign-out;
// sign-in throttling counts both replicas' attempts; every attack of the
// embedded backend's tests is refused here too; an upload on one replica is
// indexed once and searchable on both, and each replica's content folder
// takes it; a withdrawal on one answers 410 on the other.
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/admin/passwords";
import { postgresAdminStore } from "@/lib/admin/postgres-admin-store";
import type { AdminStore } from "@/lib/admin/store";
import { makeDocx, SIMPLIFIED, zipOf } from "../../testkit/documents";
import { makeLibrary, within, type Library } from "../../testkit/library";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";
import { backOffice, PASSWORD } from "../../testkit/back-office";
import { fuzzBackOffice } from "../helpers/back-office-fuzz";

let pg: TestPostgres;
let lib: Library;
let dbUrl: string;
let store: AdminStore;
let a: RunningServer;
let b: RunningServer;
let A: ReturnType<typeof backOffice>;
let B: ReturnType<typeof backOffice>;
let fuzzSessions: Parameters<typeof fuzzBackOffice>[1];
const contentB = () => path.join(lib.root, "content-b");

beforeAll(async () => {
  pg = await startPostgres();
  dbUrl = await pg.database("backoffice");
  lib = await makeLibrary("admin-pg");
  await fs.cp(lib.content, contentB(), { recursive: true });
  const pgEnv = { SEARCH_BACKEND: "postgres", DATABASE_URL: dbUrl };
  await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/index.ts"], { env: { ...process.env, ...pgEnv, CONTENT_DIR: lib.content } });
  store = postgresAdminStore(dbUrl);
  const hash = await hashPassword(PASSWORD);
  await store.addAccount("editor1", "editor", hash);
  await store.addAccount("admin1", "admin", hash);
  await store.addAccount("flooded", "editor", hash);
  const env = (content: string) => ({ ...pgEnv, CONTENT_DIR: content, INDEX_POLL_MS: "500", WEB_CONCURRENCY: "1", UPLOAD_MAX_MB: "2" });
  a = await startProductionServer(`${lib.root}/no-index-here`, { env: env(lib.content) });
  b = await startProductionServer(`${lib.root}/no-index-here`, { env: env(contentB()) });
  A = backOffice(a.base);
  B = backOffice(b.base);
}, 300_000);

afterAll(async () => {
  a?.stop();
  b?.stop();
  await store?.close();
  pg?.stop();
  await lib?.cleanup();
});

describe("the back office on PostgreSQL, two replicas", () => {
  it("a session made on one replica works on the other, and sign-out on either ends it on both", async () => {
    // Several rounds, each asking the other replica at once: sign-out that answered before the session was gone (the
    // logout route did not wait for it) let the next request through about once in ten.
    for (let round = 0; round < 12; round++) {
      const [X, Y] = round % 2 ? [B, A] : [A, B];
      const s = await X.signIn("editor1");
      const onY = await fetch(`${Y.base}/admin`, { headers: { Cookie: s.cookie } });
      expect(onY.status).toBe(200);
      expect(await onY.text()).toContain("editor1");
      const out = await Y.formPost("/api/admin/logout", { csrf: s.csrf }, { cookie: s.cookie });
      expect(out.status).toBe(303);
      for (const base of [X.base, Y.base]) {
        const r = await fetch(`${base}/admin`, { headers: { Cookie: s.cookie }, redirect: "manual" });
        const seen = `round ${round}, ${base}: ${r.status} location=${r.headers.get("location")} ${(await r.text()).slice(0, 300)}`;
        expect(r.headers.get("location"), seen).toMatch(/\/admin\/login$/u);
      }
    }
  });

  it("refuses on either replica: no session (401), another site (403), no or a wrong token (403), an editor on an admin's action (403)", async () => {
    const editor = await A.signIn("editor1");
    for (const X of [A, B]) {
      expect((await X.upload([["a.md", "# 标题\n\n正文"]])).status).toBe(401);
      expect((await X.act({ cookie: "", csrf: "x" }, { id: "x", action: "withdraw" })).status).toBe(401);
      expect((await X.formPost("/api/admin/rerun", { csrf: "x", file: "a.md" })).status).toBe(401);
      expect((await fetch(`${X.base}/api/admin/audit`)).status).toBe(401);
      expect((await X.upload([["a.md", "# 标题\n\n正文"]], { ...editor, origin: "https://evil.example" })).status).toBe(403);
      expect((await X.upload([["a.md", "# 标题\n\n正文"]], { cookie: editor.cookie })).status).toBe(403);
      expect((await X.act({ ...editor, csrf: "wrong" }, { id: "x", action: "withdraw" })).status).toBe(403);
      expect((await X.formPost("/api/admin/synonyms", { csrf: editor.csrf, query: "甲", terms: "乙" }, { cookie: editor.cookie })).status).toBe(403);
      expect((await fetch(`${X.base}/api/admin/audit`, { headers: { Cookie: editor.cookie } })).status).toBe(403);
    }
  });

  it("an upload on one replica is indexed once, searchable on both, and kept in both content folders; hostile files are refused on either", async () => {
    const editor = await B.signIn("editor1");
    const runsBefore = (await store.runs(1000)).length;
    const r = await B.upload([["主题党日报告.docx", await makeDocx(SIMPLIFIED)], ["../../逃逸.md", "---\ntitle: 路径穿越测试文章\n---\n\n正文内容。\n"], ["图.svg", "<svg><script>alert(1)</script></svg>"], ["炸弹.docx", zipOf("word/document.xml", Buffer.alloc(30 * 1024 * 1024, 0x3c), 1000)]], editor);
    expect(r.status).toBe(200);
    const [docx, traversal, svg, bomb] = r.body.files!;
    expect(docx.status, docx.error).toBe("indexed");
    expect(traversal.stored).toMatch(/^uploads\/\d{4}-\d{2}\/逃逸\.md$/u);
    expect(svg.status).toBe("refused");
    expect(bomb.status).toBe("failed");
    const id = docx.articles![0].id;
    for (const X of [A, B]) await within(5000, `searchable on ${X.base}`, async () => (await X.search("义务理发")).hits.some((h) => h.id === id));
    const runs = (await store.runs(1000)).slice(0, (await store.runs(1000)).length - runsBefore);
    expect(runs.filter((run) => run.added > 0)).toHaveLength(1);
    // Replica A's content folder takes the upload at its next index run (a correction made on A).
    const admin = await A.signIn("admin1");
    expect((await A.act(admin, { id, action: "correct", title: "在另一台服务器上更正的标题" })).status).toBe(200);
    expect(existsSync(path.join(lib.content, docx.stored!))).toBe(true);
    for (const X of [A, B]) await within(5000, `corrected on ${X.base}`, async () => (await X.search("在另一台服务器上更正的标题")).hits.some((h) => h.id === id));
    const flood = await A.upload(Array.from({ length: 3000 }, (_, i) => [`小${i}.md`, `# 小 ${i}\n\n正文`] as [string, string]), admin);
    expect(flood.status).toBe(413);
    // Over the limit (UPLOAD_MAX_MB=2): a file refused by itself, a request refused whole.
    const big = await A.upload([["大.txt", Buffer.alloc(Math.round(2.5 * 1024 * 1024), 0x41)]], admin);
    expect(big.body.files![0]).toMatchObject({ status: "refused" });
    expect((await A.upload([["更大.txt", Buffer.alloc(Math.round(3.5 * 1024 * 1024), 0x41)]], admin)).status).toBe(413);
    // A web page with scripts: its text indexed, its markup never served; the original (kept in PostgreSQL) only as a sandboxed download, from either replica.
    const html = await B.upload([["脚本.html", `<!doctype html><html><head><title>复制服务器脚本测试</title><script>window.pwned=1</script></head><body><h1>复制服务器脚本测试</h1><p>两台服务器上的网页正文。</p></body></html>`]], editor);
    const htmlId = html.body.files![0].articles![0].id;
    for (const X of [A, B]) {
      await within(5000, `page on ${X.base}`, async () => (await fetch(`${X.base}/articles/${encodeURIComponent(htmlId)}`)).status === 200);
      expect(await (await fetch(`${X.base}/articles/${encodeURIComponent(htmlId)}`)).text()).not.toContain("window.pwned");
      const original = await fetch(`${X.base}/articles/${encodeURIComponent(htmlId)}/original`);
      expect(original.headers.get("content-disposition")).toMatch(/^attachment;/u);
      expect(original.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    }
  }, 120_000);

  it("a withdrawal on one replica answers 410 on the other; restore brings it back on both", async () => {
    const editor = await A.signIn("editor1");
    const id = (await A.search("义务理发")).hits[0].id;
    expect((await A.act(editor, { id, action: "withdraw" })).status).toBe(200);
    await within(5000, "410 on B", async () => (await fetch(`${b.base}/articles/${encodeURIComponent(id)}`)).status === 410);
    expect((await B.search("义务理发")).hits.some((h) => h.id === id)).toBe(false);
    expect((await B.act(await B.signIn("editor1"), { id, action: "restore" })).status).toBe(200);
    for (const base of [a.base, b.base]) await within(5000, `back on ${base}`, async () => (await fetch(`${base}/articles/${encodeURIComponent(id)}`)).status === 200);
    const log = (await store.auditLog(1000)).map((e) => e.action);
    for (const action of ["sign-in", "sign-out", "upload", "upload refused", "article correct", "article withdraw", "article restore"]) expect(log, action).toContain(action);
  }, 60_000);

  // It throttles this address on both replicas for the window: the fuzzer's sessions are made before.
  it("1,000 wrong sign-ins against one account, spread over both replicas: none accepted, throttled after 5", async () => {
    const ended = await A.signIn("editor1");
    expect((await A.formPost("/api/admin/logout", { csrf: ended.csrf }, { cookie: ended.cookie })).status).toBe(303);
    fuzzSessions = { editor: await A.signIn("editor1"), admin: await A.signIn("admin1"), ended };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1000; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => (k % 2 ? A : B).formPost("/api/admin/login", { name: "flooded", password: `wrong password ${i + k}` })));
      for (const r of batch) {
        expect(r.headers.get("set-cookie")).toBeNull();
        outcomes.set(r.headers.get("location")!, (outcomes.get(r.headers.get("location")!) ?? 0) + 1);
      }
    }
    console.log(`1,000 wrong sign-ins over two replicas: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect([...outcomes.keys()].sort()).toEqual(["/admin/login?error=invalid", "/admin/login?error=throttled"]);
    expect(outcomes.get("/admin/login?error=invalid")).toBeLessThanOrEqual(MAX_INVALID);
    const right = await A.formPost("/api/admin/login", { name: "flooded", password: PASSWORD });
    expect(right.headers.get("location")).toBe("/admin/login?error=throttled");
  }, 180_000);

  it("a fuzzer of the back office (5,000 requests with and without sessions, tokens and origins): no 5xx, every answer of its shape", async () => {
    const statuses = await fuzzBackOffice(A.base, fuzzSessions, 5000);
    console.log(`back-office fuzz (postgres, replica A): ${JSON.stringify(statuses)}`);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(5000);
  }, 600_000);
});

/** 5 per account; a burst may see one more counted before the limit holds. */
const MAX_INVALID = 6;
