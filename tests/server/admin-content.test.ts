// The back office's work on the library, through `npm start` (two workers and
// the index service): uploads (a Word file and a PDF searchable with
// highlights; every hostile file refused or failed with a reason, nothing good
// lost), corrections that survive `npm run index`, withdrawal (410) and
// restore, deletion, the ingest report and re-run, what readers searched for,
// and a synonym added from a no-result query.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/admin/passwords";
import { sqliteStore } from "@/lib/admin/sqlite-store";
import { launchBrowser, makeDocx, printPdf, articleHtml, SIMPLIFIED, TRADITIONAL, zipOf } from "../../testkit/documents";
import { makeLibrary, within, type Library } from "../../testkit/library";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";
import { backOffice, PASSWORD, type Who } from "../../testkit/back-office";
import { fuzzBackOffice } from "../helpers/back-office-fuzz";

let lib: Library;
let server: RunningServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  lib = await makeLibrary("admin-content");
  dir = mkdtempSync(path.join(os.tmpdir(), "admin-content-db-"));
  const db = path.join(dir, "admin.sqlite");
  const store = sqliteStore(db);
  const hash = await hashPassword(PASSWORD);
  store.addAccount("admin1", "admin", hash);
  store.addAccount("editor1", "editor", hash);
  store.close();
  env = { ADMIN_DB: db, CONTENT_DIR: lib.content, UPLOAD_MAX_MB: "2", WEB_CONCURRENCY: "2", IMPORT_PRIVATE_ADDRESSES: "loopback" };
  server = await startProductionServer(lib.index, { cluster: true, env });
  bo = backOffice(server.base);
}, 300_000);

afterAll(async () => {
  server?.stop();
  await lib?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let bo: ReturnType<typeof backOffice>;
const signIn = (name: string) => bo.signIn(name);
const upload = (files: Array<[string, Buffer | string]>, who: Who = {}) => bo.upload(files, who);
const search = (q: string) => bo.search(q);
const act = (who: { cookie: string; csrf: string }, fields: Record<string, string>, origin: string | null = server.base) => bo.act({ ...who, origin }, fields);

describe("the back office's library work, through npm start", () => {
  let editor: { cookie: string; csrf: string };
  let docxId = "";
  let pdfId = "";

  it("uploads a Word file and a PDF: each answered with its article, searchable with highlights at once", async () => {
    editor = await signIn("editor1");
    const browser = await launchBrowser();
    let pdf: Buffer;
    try {
      pdf = await printPdf(browser, articleHtml(TRADITIONAL));
    } finally {
      await browser.close();
    }
    const docx = await makeDocx(SIMPLIFIED);
    const r = await upload([["主题党日报告.docx", docx], ["黨員教育.pdf", pdf]], editor);
    expect(r.status).toBe(200);
    const [a, b] = r.body.files!;
    expect(a.status, a.error).toBe("indexed");
    expect(b.status, b.error).toBe("indexed");
    expect(a.stored).toMatch(/^uploads\/\d{4}-\d{2}\/主题党日报告\.docx$/u);
    expect(a.articles![0].title).toBe(SIMPLIFIED.title);
    docxId = a.articles![0].id;
    pdfId = b.articles![0].id;
    // The answer comes after the run; every worker follows the new generation within moments.
    await within(5000, "docx searchable", async () => (await search("义务理发")).hits.some((h) => h.id === docxId));
    const hit = (await search("义务理发")).hits.find((h) => h.id === docxId)!;
    expect(JSON.stringify(hit.snippets)).toContain("义务理发");
    await within(5000, "pdf searchable in Simplified", async () => (await search(TRADITIONAL.title.slice(2, 8))).hits.some((h) => h.id === pdfId));
    // The original downloads, never inline.
    const original = await fetch(`${server.base}/articles/${encodeURIComponent(docxId)}/original`);
    expect(original.headers.get("content-disposition")).toMatch(/^attachment;/u);
    expect(original.headers.get("content-security-policy")).toContain("sandbox");
  }, 120_000);

  it("refuses uploads without a session (401), cross-site (403) or without the anti-forgery token (403)", async () => {
    expect((await upload([["a.md", "# 标题\n\n正文"]], { origin: server.base })).status).toBe(401);
    expect((await upload([["a.md", "# 标题\n\n正文"]], { ...editor, origin: "https://evil.example" })).status).toBe(403);
    expect((await upload([["a.md", "# 标题\n\n正文"]], { cookie: editor.cookie })).status).toBe(403);
    expect((await upload([["a.md", "# 标题\n\n正文"]], { cookie: editor.cookie, csrf: "wrong" })).status).toBe(403);
  });

  it("hostile files: traversal names stay in uploads, scripts never run or show inline, SVG and executables refused, a zip bomb fails alone, oversize and floods refused whole", async () => {
    const html = `<!doctype html><html><head><title>网页里的脚本测试文章</title><script>window.pwned=1</script></head><body><h1>网页里的脚本测试文章</h1><p>这是一段用来检验上传网页中脚本不会执行的正文内容。</p><img src=x onerror="window.pwned=2"></body></html>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`;
    const bomb = zipOf("word/document.xml", Buffer.alloc(30 * 1024 * 1024, 0x3c), 1000);
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(2000, 0)]);
    const r = await upload(
      [
        ["../../../../etc/逃逸测试.md", "---\ntitle: 路径穿越测试文章\n---\n\n这篇文章的文件名试图跳出上传目录。\n"],
        ["脚本.html", html],
        ["图.svg", svg],
        ["炸弹.docx", bomb],
        ["程序.txt", exe],
        ["空.md", ""],
      ],
      editor,
    );
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.files!.map((f) => [f.name, f]));
    const traversal = byName["../../../../etc/逃逸测试.md"];
    expect(traversal.status, traversal.error).toBe("indexed");
    expect(traversal.stored).toMatch(/^uploads\/\d{4}-\d{2}\/逃逸测试\.md$/u);
    expect(existsSync(path.join(lib.content, "..", "etc"))).toBe(false);
    expect(byName["脚本.html"].status).toBe("indexed");
    expect(byName["图.svg"]).toMatchObject({ status: "refused" });
    expect(byName["图.svg"].error).toContain("不是可收录的格式");
    expect(byName["炸弹.docx"].status).toBe("failed");
    expect(byName["炸弹.docx"].error!.length).toBeGreaterThan(5);
    expect(byName["程序.txt"].status).toBe("refused");
    expect(byName["空.md"].status).toBe("refused");
    // The page's text has no script; the original goes out as a sandboxed download.
    const id = byName["脚本.html"].articles![0].id;
    const page = await (await fetch(`${server.base}/articles/${encodeURIComponent(id)}`)).text();
    expect(page).not.toContain("window.pwned");
    const original = await fetch(`${server.base}/articles/${encodeURIComponent(id)}/original`);
    expect(original.headers.get("content-disposition")).toMatch(/^attachment;/u);
    expect(original.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    // Over the limit (UPLOAD_MAX_MB=2 here): one file refused by itself; a request over the limit refused whole.
    const big = await upload([["大.txt", Buffer.alloc(Math.round(2.5 * 1024 * 1024), 0x41)]], editor);
    expect(big.status).toBe(200);
    expect(big.body.files![0]).toMatchObject({ status: "refused" });
    expect(big.body.files![0].error).toContain("超过上限 2 MB");
    const whole = await upload([["更大.txt", Buffer.alloc(Math.round(3.5 * 1024 * 1024), 0x41)]], editor);
    expect(whole.status).toBe(413);
    // Thousands of tiny files in one request: refused whole, nothing kept.
    const before = readdirSync(path.join(lib.content, "uploads"), { recursive: true }).length;
    const flood = await upload(Array.from({ length: 3000 }, (_, i) => [`小${i}.md`, `# 小文件 ${i}\n\n正文`] as [string, string]), editor);
    expect(flood.status).toBe(413);
    expect(flood.body.error).toContain("at most 20 files");
    expect(readdirSync(path.join(lib.content, "uploads"), { recursive: true }).length).toBe(before);
    // The good files of the mixed request are all searchable.
    expect((await search("路径穿越测试文章")).total).toBeGreaterThan(0);
  }, 120_000);

  it("a correction shows at once and survives npm run index; withdrawal answers 410 and leaves search; restore brings it back", async () => {
    const corrected = "更正后的主题党日情况报告标题";
    expect((await act(editor, { id: docxId, action: "correct", title: corrected, authors: "王建国、李红", source: "第三党支部", date: "2026-03-01", tags: "主题党日" })).status).toBe(200);
    await within(5000, "corrected title searchable", async () => (await search(corrected)).hits.some((h) => h.id === docxId));
    const article = await (await fetch(`${server.base}/api/articles/${encodeURIComponent(docxId)}`)).json();
    expect(article).toMatchObject({ title: corrected, author: "王建国、李红", source: "第三党支部", date: "2026-03-01", tags: ["主题党日"] });
    // A bad date is refused, naming the field.
    const bad = await act(editor, { id: docxId, action: "correct", date: "2026-02-30" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe("date");
    // The command line's run keeps the correction (the overlay holds in every run).
    // Not execFileSync: a run longer than the server's keep-alive timeout (5 s, on a slow machine) would close this process's
    // idle sockets while its event loop is blocked, and the next fetch would reuse one already closed ("other side closed").
    await promisify(execFile)("npx", ["tsx", "scripts/index.ts"], { env: { ...process.env, ...env, INDEX_DIR: lib.index } });
    await within(10_000, "still corrected after npm run index", async () => (await (await fetch(`${server.base}/api/articles/${encodeURIComponent(docxId)}`)).json()).title === corrected);

    expect((await act(editor, { id: pdfId, action: "withdraw", note: "来源有误" })).status).toBe(200);
    await within(5000, "withdrawn", async () => (await fetch(`${server.base}/articles/${encodeURIComponent(pdfId)}`)).status === 410);
    expect((await fetch(`${server.base}/api/articles/${encodeURIComponent(pdfId)}`)).status).toBe(410);
    expect((await search(TRADITIONAL.title.slice(2, 8))).hits.some((h) => h.id === pdfId)).toBe(false);
    // Cross-site and token-less actions are refused.
    expect((await act(editor, { id: pdfId, action: "restore" }, "https://evil.example")).status).toBe(403);
    expect((await act({ ...editor, csrf: "" }, { id: pdfId, action: "restore" })).status).toBe(403);
    expect((await act(editor, { id: pdfId, action: "restore" })).status).toBe(200);
    await within(5000, "restored", async () => (await fetch(`${server.base}/articles/${encodeURIComponent(pdfId)}`)).status === 200);
    expect((await search(TRADITIONAL.title.slice(2, 8))).hits.some((h) => h.id === pdfId)).toBe(true);
  }, 120_000);

  it("deleting an uploaded article removes it and its file: 404", async () => {
    const id = (await search("路径穿越测试文章")).hits[0].id;
    expect((await act(editor, { id, action: "delete" })).status).toBe(200);
    await within(5000, "deleted", async () => (await fetch(`${server.base}/articles/${encodeURIComponent(id)}`)).status === 404);
    expect((await search("路径穿越测试文章")).total).toBe(0);
    // A withdrawn upload (not in the index any more) is deleted with its file too: 410 becomes 404.
    const up = await upload([["先撤回再删除.md", "---\ntitle: 先撤回再删除的文章\n---\n\n这篇文章先被撤回，然后删除。\n"]], editor);
    const withdrawn = up.body.files![0].articles![0].id;
    expect((await act(editor, { id: withdrawn, action: "withdraw" })).status).toBe(200);
    await within(5000, "410", async () => (await fetch(`${server.base}/articles/${encodeURIComponent(withdrawn)}`)).status === 410);
    expect((await act(editor, { id: withdrawn, action: "delete" })).status).toBe(200);
    await within(5000, "404 after delete", async () => (await fetch(`${server.base}/articles/${encodeURIComponent(withdrawn)}`)).status === 404);
    expect(existsSync(path.join(lib.content, up.body.files![0].stored!))).toBe(false);
  }, 60_000);

  it("the ingest report lists runs and the file that failed, and re-runs it", async () => {
    const page = await (await fetch(`${server.base}/admin/runs`, { headers: { Cookie: editor.cookie } })).text();
    expect(page).toContain('data-testid="index-runs"');
    expect(page).toMatch(/炸弹\.docx/u);
    const file = /name="file" value="([^"]*炸弹\.docx)"/u.exec(page)![1];
    const r = await fetch(`${server.base}/api/admin/rerun`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.base, Cookie: editor.cookie },
      body: new URLSearchParams({ csrf: editor.csrf, file }).toString(),
      redirect: "manual",
    });
    expect(r.status).toBe(303);
    expect(decodeURIComponent(r.headers.get("location")!)).toContain("仍然失败");
  }, 60_000);

  it("counts what readers search for (same origin only, nothing about who), and a synonym added from a no-result query finds articles", async () => {
    const beacon = (body: unknown, origin = server.base) => fetch(`${server.base}/api/analytics`, { method: "POST", headers: { "Content-Type": "application/json", Origin: origin }, body: JSON.stringify(body) });
    expect((await beacon({ kind: "search", q: "星火讀書會", total: 0 })).status).toBe(204);
    expect((await beacon({ kind: "search", q: "星火读书会 ", total: 0 })).status).toBe(204);
    expect((await beacon({ kind: "search", q: "主题党日", total: 3 })).status).toBe(204);
    expect((await beacon({ kind: "click", q: "主题党日", position: 2 })).status).toBe(204);
    expect((await beacon({ kind: "search", q: "x", total: 0 }, "https://evil.example")).status).toBe(403);
    expect((await beacon({ kind: "search", q: 5 })).status).toBe(400);
    const editorView = await fetch(`${server.base}/admin/searches`, { headers: { Cookie: editor.cookie }, redirect: "manual" });
    expect(editorView.status).toBe(307);
    const admin = await signIn("admin1");
    // Counts are written within two seconds of the beacon.
    let report = "";
    await within(10_000, "the report counts the beacons", async () => {
      report = await (await fetch(`${server.base}/admin/searches`, { headers: { Cookie: admin.cookie } })).text();
      return /data-query="星火读书会"[\s\S]*?<td class="tabular-nums">2<\/td>/u.test(report) && /打开结果 (<!-- -->)?1(<!-- -->)? 次/u.test(report);
    });
    expect(report).toMatch(/data-query="星火读书会"[\s\S]*?<td class="tabular-nums">2<\/td>/u);
    expect(report).toContain("仍无结果");
    expect((await search("星火读书会")).total).toBe(0);
    const add = await fetch(`${server.base}/api/admin/synonyms`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.base, Cookie: admin.cookie },
      body: new URLSearchParams({ csrf: admin.csrf, query: "星火读书会", terms: "义务理发" }).toString(),
      redirect: "manual",
    });
    expect(decodeURIComponent(add.headers.get("location")!)).toContain("已添加同义词组");
    await within(10_000, "the synonym finds articles", async () => (await search("星火读书会")).total > 0);
    const after = await (await fetch(`${server.base}/admin/searches`, { headers: { Cookie: admin.cookie } })).text();
    expect(after).toMatch(/能找到 \d+ 篇/u);
    // An editor may not add synonyms.
    const refused = await fetch(`${server.base}/api/admin/synonyms`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.base, Cookie: editor.cookie },
      body: new URLSearchParams({ csrf: editor.csrf, query: "甲", terms: "乙" }).toString(),
      redirect: "manual",
    });
    expect(refused.status).toBe(403);
    // The audit log has all of it.
    const csv = await (await fetch(`${server.base}/api/admin/audit`, { headers: { Cookie: admin.cookie } })).text();
    for (const action of ["upload", "upload refused", "article correct", "article withdraw", "article restore", "article delete", "rerun", "synonym added"]) expect(csv, action).toContain(`,${action},`);
  }, 120_000);

  it("imports a web page from the browser (the polite importer), refusing private addresses and anything but http(s) URLs", async () => {
    const editor = await signIn("editor1");
    const page = `<!doctype html><html><head><meta charset="utf-8"><title>网上导入的测试文章</title><meta name="author" content="周明"></head><body><article><h1>网上导入的测试文章</h1><p>这是一篇由后台从网上导入的测试文章，正文里有独特的词语星河灯塔计划。</p></article></body></html>`;
    const site = http.createServer((req, res) => {
      if (req.url === "/robots.txt") return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(page);
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    const port = (site.address() as AddressInfo).port;
    try {
      const importing = (url: string) => bo.formPost("/api/admin/import", { csrf: editor.csrf, url }, { cookie: editor.cookie });
      const r = await importing(`http://localhost:${port}/news/2026/1.html`);
      expect(r.status).toBe(303);
      const said = new URL(r.headers.get("location")!, bo.base).searchParams;
      expect(said.get("done")).toContain("收录 1 篇");
      await within(5000, "imported page searchable", async () => (await search("星河灯塔计划")).total === 1);
      for (const [url, why] of [
        ["http://10.0.0.1/", "private"],
        ["http://169.254.169.254/latest/meta-data/", "private"],
        ["/etc/passwd", "http://"],
        ["file:///etc/passwd", "http://"],
        [`http://user:pw@localhost:${port}/`, "http://"],
      ]) {
        const refused = new URL((await importing(url)).headers.get("location")!, bo.base).searchParams.get("error");
        expect(refused, url).toContain(why);
      }
      expect((await bo.formPost("/api/admin/import", { csrf: editor.csrf, url: `http://localhost:${port}/` }, { cookie: editor.cookie, origin: "https://evil.example" })).status).toBe(403);
    } finally {
      site.close();
    }
  }, 120_000);

  it("a fuzzer of the back office (5,000 requests with and without sessions, tokens and origins): no 5xx, every answer of its shape", async () => {
    const ended = await bo.signIn("editor1");
    expect((await bo.formPost("/api/admin/logout", { csrf: ended.csrf }, { cookie: ended.cookie })).status).toBe(303);
    const statuses = await fuzzBackOffice(bo.base, { editor: await bo.signIn("editor1"), admin: await bo.signIn("admin1"), ended }, 5000);
    console.log(`back-office fuzz (embedded): ${JSON.stringify(statuses)}`);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(5000);
  }, 600_000);
});
