import { guard, refusal } from "@/lib/admin/guard";
import { adminStore } from "@/lib/admin/admin-store";
import { requestIndexRun, type IndexAnswer } from "@/lib/admin/indexing";
import { checkUpload, keepUpload, MAX_FILES_PER_REQUEST, syncSharedUploads } from "@/lib/admin/uploads";
import { config } from "@/lib/config/env.cjs";

export const dynamic = "force-dynamic";

/** One file's outcome, as the upload page shows it. */
export interface UploadedFile {
  name: string;
  status: "indexed" | "failed" | "refused";
  /** Where it is kept, relative to the content folder. */
  stored?: string;
  articles?: Array<{ id: string; title: string; url: string; warnings: string[] }>;
  error?: string;
  hint?: string;
}

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/**
 * POST /api/admin/uploads (multipart/form-data, files in `file`, the session's
 * anti-forgery token in X-CSRF-Token or the `csrf` field): keeps each file the
 * pipeline reads, indexes them in one run, and answers per file.
 */
export async function POST(request: Request) {
  const headerToken = request.headers.get("x-csrf-token");
  const first = await guard(request, headerToken ? { change: { csrf: headerToken } } : {});
  if (!first.ok) return refusal(first);
  if (!/^multipart\/form-data\s*;/iu.test(request.headers.get("content-type") ?? "")) return json(415, { error: "send the files as multipart/form-data in the field \"file\"" });
  const limit = config().uploadMaxBytes + 1024 * 1024;
  const length = request.headers.get("content-length");
  if (length === null) return json(411, { error: "Content-Length is required" });
  if (!/^\d+$/u.test(length) || Number(length) > limit) return json(413, { error: `a request may carry at most ${Math.round(limit / 1048576)} MB (UPLOAD_MAX_MB per file, one large file per request)` });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json(400, { error: "the body is not valid multipart/form-data" });
  }
  const g = headerToken ? first : await guard(request, { change: { csrf: typeof form.get("csrf") === "string" ? (form.get("csrf") as string) : null } });
  if (!g.ok) return refusal(g);
  const files = form.getAll("file").filter((f): f is File => typeof f !== "string");
  if (!files.length) return json(400, { error: "no file in the field \"file\"" });
  if (files.length > MAX_FILES_PER_REQUEST) return json(413, { error: `at most ${MAX_FILES_PER_REQUEST} files per request (this one has ${files.length}); nothing was kept` });

  const store = adminStore();
  // Names are chosen against every replica's uploads.
  await syncSharedUploads(store);
  const out: UploadedFile[] = [];
  const kept: Array<{ index: number; stored: string }> = [];
  for (const f of files) {
    const checked = checkUpload(f.name, Buffer.from(await f.arrayBuffer()), config().uploadMaxBytes);
    if ("error" in checked) {
      out.push({ name: f.name, status: "refused", error: checked.error, hint: checked.hint });
      await store.audit({ actor: g.account.name, action: "upload refused", target: f.name.slice(0, 200), before: null, after: JSON.stringify({ error: checked.error }) });
      continue;
    }
    const stored = await keepUpload(checked, new Date(), store.sharedUploads && ((rel, bytes) => store.sharedUploads!.put(rel, bytes)));
    kept.push({ index: out.length, stored });
    out.push({ name: f.name, status: "failed", stored });
  }
  let answer: IndexAnswer | null = null;
  let runError: string | null = null;
  if (kept.length) {
    try {
      answer = await requestIndexRun({ trigger: "upload", actor: g.account.name, files: kept.map((k) => k.stored) });
    } catch (e) {
      runError = (e as Error).message;
    }
  }
  for (const { index, stored } of kept) {
    const o = out[index];
    const report = answer?.files[stored];
    if (report?.articles.length) {
      o.status = "indexed";
      o.articles = report.articles.map((a) => ({ ...a, url: `/articles/${encodeURIComponent(a.id)}` }));
    } else {
      o.error = runError ? `已保存，但建立索引失败：${runError}` : report?.errors.join("；") || "没有读出文章";
      o.hint = runError ? "稍后在收录报告中点“重新处理”" : "请修正文件后重新上传，或修正后在收录报告中点“重新处理”";
    }
    await store.audit({ actor: g.account.name, action: "upload", target: stored, before: null, after: JSON.stringify(o.status === "indexed" ? { articles: o.articles!.map((a) => a.id) } : { error: o.error }) });
  }
  return json(200, { generation: answer?.generation ?? null, files: out });
}
