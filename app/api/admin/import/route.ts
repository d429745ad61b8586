import { promises as fs } from "node:fs";
import path from "node:path";
import { adminStore } from "@/lib/admin/admin-store";
import { formOf, guard, refusal, seeOther } from "@/lib/admin/guard";
import { requestIndexRun } from "@/lib/admin/indexing";
import { syncSharedUploads } from "@/lib/admin/uploads";
import { config } from "@/lib/config/env.cjs";
import { contentDir } from "@/lib/content/ingest";
import { runImport } from "@/lib/content/importer/importer";

export const dynamic = "force-dynamic";

/** At most this many pages per import from the browser (the command line takes --max-pages). */
const MAX_PAGES = 100;

/**
 * POST /api/admin/import (url, csrf; editors): a web page, a sitemap or a
 * feed, fetched by the command line's polite importer (robots.txt, a delay
 * between requests, size and time limits) into CONTENT_DIR/uploads/imported/,
 * refusing addresses of this machine and private networks unless
 * IMPORT_PRIVATE_ADDRESSES allows them, then indexed. Answers with a 303 back
 * to /admin saying what came of it.
 */
export async function POST(request: Request) {
  const form = await formOf(request, 2000);
  const g = await guard(request, { change: { csrf: form.get("csrf") ?? null } });
  if (!g.ok) return refusal(g);
  const back = (p: Record<string, string>) => seeOther(`/admin?${new URLSearchParams(p)}`);
  const url = (form.get("url") ?? "").trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  // Only a web address: the importer also reads local files of URLs, which an editor must never name.
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.username || parsed.password) return back({ error: "请填写以 http:// 或 https:// 开头的网址（网页、sitemap 或 RSS/Atom 订阅）" });
  const store = adminStore();
  await syncSharedUploads(store);
  const root = path.join(contentDir(), "uploads");
  const summary = await runImport([parsed.href], { contentDir: root, maxPages: MAX_PAGES, limits: { addresses: config().importAddresses, timeoutMs: 20_000 } });
  const files = summary.files.map((f) => `uploads/${f}`);
  for (const f of files) {
    const bytes = await fs.readFile(path.join(contentDir(), f)).catch(() => null);
    if (bytes) await store.sharedUploads?.put(f, bytes);
  }
  await store.audit({ actor: g.account.name, action: "import", target: parsed.href.slice(0, 500), before: null, after: JSON.stringify({ fetched: summary.fetched.length, unchanged: summary.unchanged.length, disallowed: summary.disallowed.length, failed: summary.failed }) });
  let indexed = 0;
  let runError: string | null = null;
  if (files.length) {
    try {
      const answer = await requestIndexRun({ trigger: "import", actor: g.account.name, files });
      indexed = Object.values(answer.files).reduce((n, f) => n + f.articles.length, 0);
    } catch (e) {
      runError = (e as Error).message;
    }
  }
  const problems = [...summary.failed.map((f) => `${f.url}：${f.reason}`), ...summary.disallowed.map((d) => `${d.url}：${d.reason}`)];
  const said = `导入 ${parsed.href}：取回 ${summary.fetched.length} 页，未变 ${summary.unchanged.length} 页，收录 ${indexed} 篇${summary.disallowed.length ? `，robots.txt 不允许 ${summary.disallowed.length} 页` : ""}${summary.failed.length ? `，失败 ${summary.failed.length} 页` : ""}${runError ? `；建立索引失败：${runError}` : ""}`;
  if (!summary.fetched.length && !summary.unchanged.length) return back({ error: `${said}。${problems.slice(0, 3).join("；")}`.slice(0, 1500) });
  return back({ done: `${said}${problems.length ? `。${problems.slice(0, 3).join("；")}` : ""}`.slice(0, 1500) });
}
