// Index runs for the back office: what a request asks for, what its answer
// says, the run itself (in the index service's process, scripts/index-service.ts)
// and the client a route handler asks through (server/index-service.cjs).
import cluster from "node:cluster";
import path from "node:path";
import { contentDir } from "@/lib/content/ingest";
import { randomUUID } from "node:crypto";
import { adminStore } from "@/lib/admin/admin-store";
import { syncSharedUploads } from "@/lib/admin/uploads";
import type { IndexRunRecord } from "@/lib/admin/store";
import type { IndexRunOptions, IndexRunResult } from "@/lib/search/build/indexer";
import { ANSWER, REQUEST, indexService, type IndexService } from "@/server/index-service.cjs";

export interface IndexRequest {
  /** What asked: "upload", "correction", "withdrawal", "restore", "deletion", "rerun", "synonyms". */
  trigger: string;
  actor: string | null;
  /** Files (relative to the content folder) whose outcome the answer reports. */
  files?: string[];
  /** Files read again even if unchanged. */
  fresh?: string[];
  /** Publish even when nothing changed. */
  force?: boolean;
}

/** What one file gave in a run. */
export interface FileReport {
  articles: Array<{ id: string; title: string; warnings: string[] }>;
  errors: string[];
}

/** What the run did (as the ingest report keeps it), and what each requested file gave. */
export type IndexAnswer = Omit<IndexRunRecord, "at" | "trigger" | "actor" | "errors"> & { files: Record<string, FileReport> };

type Answer = { type: string; id: string; ok: true; answer: IndexAnswer } | { type: string; id: string; ok: false; error: string };

/** The run a service request makes (called in the service's process): the overlay from the store, the run, the record of it. */
export async function serveIndexRequests(requests: IndexRequest[], run: (o: IndexRunOptions) => Promise<IndexRunResult>): Promise<IndexAnswer> {
  const store = adminStore();
  await syncSharedUploads(store);
  const r = await run({
    overlay: await store.overlay(),
    synonyms: await store.synonymGroups(),
    // The ingest keeps what it read by absolute path.
    fresh: [...new Set(requests.flatMap((q) => q.fresh ?? []))].map((f) => path.resolve(contentDir(), f)),
    force: requests.some((q) => q.force),
  });
  const record = await recordIndexRun(r, [...new Set(requests.map((q) => q.trigger))].join(", "), [...new Set(requests.map((q) => q.actor).filter(Boolean))].join(", ") || null);
  const files: Record<string, FileReport> = {};
  for (const file of new Set(requests.flatMap((q) => q.files ?? []))) files[file] = { articles: [], errors: [] };
  if (Object.keys(files).length) {
    // An article's origin is its file, or file:line: a few requested names are looked for by prefix, not every origin
    // (295k at ×10) cut with a pattern (80 ms of each upload's answer).
    const wanted = Object.keys(files);
    for (const a of r.ingest.articles) {
      const o = a.origin;
      const file = wanted.find((w) => o.startsWith(w) && (o.length === w.length || /^:\d+$/u.test(o.slice(w.length))));
      if (file === undefined) continue;
      const f = files[file];
      const overlaid = r.overlay.withdrawn.includes(a.id) || r.overlay.deleted.includes(a.id);
      f.articles.push({ id: a.id, title: a.title, warnings: overlaid ? [...a.warnings, "withdrawn or deleted by an editor: not indexed"] : a.warnings });
    }
    for (const p of r.ingest.errors) files[p.file]?.errors.push(`${p.line ? `line ${p.line}: ` : ""}${p.message}`);
  }
  return { generation: r.name, kind: record.kind, added: record.added, changed: record.changed, deleted: record.deleted, articles: record.articles, seconds: record.seconds, files };
}

/** Keeps a run for the ingest report (every run: the back office's and `npm run index`'s). */
export async function recordIndexRun(r: IndexRunResult, trigger: string, actor: string | null): Promise<IndexRunRecord> {
  const b = r.manifest.build;
  const record: IndexRunRecord = {
    at: new Date().toISOString(),
    generation: r.name,
    trigger,
    actor,
    kind: b.kind,
    added: b.kind !== "full" ? b.added : r.manifest.articles,
    changed: b.kind !== "full" ? b.changed : 0,
    deleted: b.kind !== "full" ? b.deleted : 0,
    articles: r.manifest.articles,
    seconds: Math.round(r.seconds.total * 100) / 100,
    errors: r.ingest.errors.map((p) => ({ file: p.file, ...(p.line ? { line: p.line } : {}), message: p.message })),
  };
  await adminStore().recordRun(record);
  return record;
}

// The client side: one pending map per process, answers matched by id.
const pending = new Map<string, { resolve: (a: IndexAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
let local: IndexService | null = null;
let listening = false;

function answered(m: unknown): void {
  const a = m as Answer;
  if (!a || a.type !== ANSWER) return;
  const p = pending.get(a.id);
  if (!p) return;
  pending.delete(a.id);
  clearTimeout(p.timer);
  if (a.ok) p.resolve(a.answer);
  else p.reject(new Error(a.error));
}

/** Asks the machine's index service for a run and waits for its answer (a run that takes longer than `timeoutMs` is reported as an error; it goes on). */
export function requestIndexRun(request: IndexRequest, timeoutMs = 600_000): Promise<IndexAnswer> {
  const id = randomUUID();
  const message = { type: REQUEST, id, ...request };
  return new Promise<IndexAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the index run took longer than ${Math.round(timeoutMs / 1000)} s; it goes on, see the ingest report`));
    }, timeoutMs);
    pending.set(id, { resolve, reject, timer });
    if (cluster.isWorker && process.send) {
      if (!listening) {
        listening = true;
        process.on("message", answered);
      }
      process.send(message);
    } else {
      local ??= indexService(answered);
      local.send(message);
    }
  });
}
