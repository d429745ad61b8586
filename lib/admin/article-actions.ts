// Editors' actions on one article: correct its title, authors, source, date
// and tags; withdraw it (gone from search, its page 410) and restore it; or
// delete it. Each is kept in the overlay, audited with before and after, and
// indexed at once through the machine's index service, so that it holds on
// every server within seconds and in every later run.
import { promises as fs } from "node:fs";
import path from "node:path";
import { adminStore } from "@/lib/admin/admin-store";
import { requestIndexRun } from "@/lib/admin/indexing";
import { uploadedFileOf } from "@/lib/admin/uploads";
import type { Account } from "@/lib/admin/store";
import { contentDir } from "@/lib/content/ingest";
import { CORRECTABLE, correctionFrom, type Correction, type OverlayEntry } from "@/lib/content/overlay";

export const ACTIONS = ["correct", "withdraw", "restore", "delete"] as const;
export type ArticleAction = (typeof ACTIONS)[number];

/** What an editor sees of an article: its fields as the index has them now (corrections applied), where it came from. */
export interface ArticleFields {
  id: string;
  title: string;
  authors: string[];
  source: string | null;
  date: string | null;
  tags: string[];
  origin: string;
}

export type ActionResult = { ok: true; message: string; generation: string | null } | { ok: false; status: 400 | 404 | 409 | 503; field?: string; error: string };

/** Does one action; `current` is the article as the live index has it (null when it is not indexed: withdrawn, deleted, or no such id). */
export async function articleAction(action: ArticleAction, id: string, form: Map<string, string>, current: ArticleFields | null, by: Account): Promise<ActionResult> {
  const store = adminStore();
  const entry = await store.overlayOf(id);
  const snapshot = (e: OverlayEntry | null) => JSON.stringify(e ? { correction: e.correction, state: e.state, note: e.note } : null);
  let next: Omit<OverlayEntry, "updated"> | null;
  let message: string;
  let removeFile: string | null = null;
  const title = current?.title ?? entry?.title ?? id;
  switch (action) {
    case "correct": {
      if (!current) return { ok: false, status: 409, error: entry?.state ? "这篇文章已撤回或删除：先恢复再更正" : `没有 id 为 "${id}" 的文章` };
      const fields: Record<string, string | undefined> = {};
      for (const key of CORRECTABLE) if (form.has(key)) fields[key] = form.get(key);
      const c = correctionFrom(fields);
      if ("error" in c) return { ok: false, status: 400, field: c.field, error: c.error };
      const changed: Correction = {};
      for (const key of CORRECTABLE) if (c[key] !== undefined && JSON.stringify(c[key]) !== JSON.stringify(current[key])) (changed as Record<string, unknown>)[key] = c[key];
      if (!Object.keys(changed).length) return { ok: true, message: "没有改动", generation: null };
      next = { id, correction: { ...(entry?.correction ?? {}), ...changed }, state: entry?.state ?? null, note: entry?.note ?? null, title: changed.title ?? title, by: by.name };
      message = `已更正：${Object.keys(changed).map((k) => ({ title: "标题", authors: "作者", source: "来源", date: "日期", tags: "标签" })[k as keyof Correction]).join("、")}`;
      break;
    }
    case "withdraw": {
      if (!current) return { ok: false, status: entry?.state ? 409 : 404, error: entry?.state ? "这篇文章已经撤回或删除" : `没有 id 为 "${id}" 的文章` };
      const note = (form.get("note") ?? "").trim().slice(0, 500) || null;
      next = { id, correction: entry?.correction ?? null, state: "withdrawn", note, title, by: by.name };
      message = "已撤回：不再出现在检索结果中，文章页显示“已撤回”（410）";
      break;
    }
    case "restore": {
      if (entry?.state !== "withdrawn" && entry?.state !== "deleted") return { ok: false, status: 409, error: "这篇文章没有被撤回或删除" };
      next = { id, correction: entry.correction, state: null, note: null, title, by: by.name };
      message = "已恢复：重新出现在检索结果中";
      break;
    }
    case "delete": {
      if (!current && entry?.state !== "withdrawn") return { ok: false, status: 404, error: `没有 id 为 "${id}" 的文章` };
      // A withdrawn article is not in the index: its uploaded file is found by its id.
      const origin = current?.origin || (await uploadedFileOf(id));
      // An uploaded file goes with its article; an operator's file on the server stays, and the article is kept out by the overlay.
      if (origin && /^uploads\//u.test(origin) && !origin.includes(":")) {
        removeFile = origin;
        next = null;
      } else next = { id, correction: entry?.correction ?? null, state: "deleted", note: null, title, by: by.name };
      message = removeFile ? "已删除（连同上传的原件）" : "已删除：不再检索和显示（服务器上的源文件未动）";
      break;
    }
  }
  const before = snapshot(entry);
  if (next) await store.putOverlay(next);
  else await store.putOverlay({ id, correction: null, state: null, note: null, title, by: by.name });
  if (removeFile) {
    const full = path.resolve(contentDir(), removeFile);
    if (full.startsWith(path.resolve(contentDir(), "uploads") + path.sep)) {
      await store.sharedUploads?.remove(removeFile);
      await fs.rm(full, { force: true });
    }
  }
  await store.audit({ actor: by.name, action: `article ${action}`, target: id, before, after: removeFile ? JSON.stringify({ removed: removeFile }) : snapshot(await store.overlayOf(id)) });
  try {
    const answer = await requestIndexRun({ trigger: action === "correct" ? "correction" : action === "withdraw" ? "withdrawal" : action === "restore" ? "restore" : "deletion", actor: by.name });
    return { ok: true, message, generation: answer.generation };
  } catch (e) {
    return { ok: false, status: 503, error: `已记下，但建立索引失败（${(e as Error).message}）：下次索引时生效` };
  }
}
