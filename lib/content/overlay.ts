// Editors' corrections and withdrawals, kept apart from the files (the back
// office's store) and laid over what the files give at every index run, so
// that they survive re-indexing and re-imports. A corrected article is a
// changed article (its content hash changes with the correction); a withdrawn
// or deleted one is not indexed at all, and the generation names the
// withdrawn ones so that their pages answer 410 Gone instead of 404.
import { createHash } from "node:crypto";
import type { Article } from "@/lib/content/article";

const ARTICLE_FIELDS = Object.keys(articleSchema.shape) as Array<keyof Article>;
import { articleSchema } from "@/lib/content/article";

/** Fields an editor may correct; a field left out keeps what the file says. */
export interface Correction {
  title?: string;
  authors?: string[];
  source?: string | null;
  date?: string | null;
  tags?: string[];
}

export const CORRECTABLE = ["title", "authors", "source", "date", "tags"] as const;

export type ArticleState = "withdrawn" | "deleted";

export interface OverlayEntry {
  /** The article's id. */
  id: string;
  correction: Correction | null;
  state: ArticleState | null;
  /** Why it was withdrawn (shown to readers on the 410 page). */
  note: string | null;
  /** The article's title when the entry was last changed: withdrawn articles are listed by it. */
  title: string;
  updated: string;
  by: string | null;
}

export interface Overlaid {
  articles: Article[];
  /** Ids withdrawn (answered 410), sorted. */
  withdrawn: string[];
  /** Ids deleted (answered 404), sorted. */
  deleted: string[];
  corrected: number;
}

/** The correction with only what differs from the article (an empty one is null). */
export function effectiveCorrection(article: Pick<Article, (typeof CORRECTABLE)[number]>, c: Correction | null): Correction | null {
  if (!c) return null;
  const out: Correction = {};
  for (const key of CORRECTABLE) {
    if (c[key] === undefined) continue;
    if (JSON.stringify(c[key]) !== JSON.stringify(article[key])) (out as Record<string, unknown>)[key] = c[key];
  }
  return Object.keys(out).length ? out : null;
}

/** The articles with the overlay applied. Entries of ids no file gives are ignored (a later file may give them). */
export function applyOverlay(articles: Article[], entries: ReadonlyArray<OverlayEntry>): Overlaid {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const out: Article[] = [];
  const withdrawn: string[] = [];
  const deleted: string[] = [];
  let corrected = 0;
  for (const article of articles) {
    const entry = byId.get(article.id);
    if (!entry) {
      out.push(article);
      continue;
    }
    if (entry.state === "withdrawn") withdrawn.push(article.id);
    if (entry.state === "deleted") deleted.push(article.id);
    if (entry.state) continue;
    const c = entry.correction;
    if (!c || !Object.keys(c).length) {
      out.push(article);
      continue;
    }
    corrected++;
    const contentHash = createHash("sha256").update(`${article.contentHash}\u0000${JSON.stringify(c)}`).digest("hex");
    // A plain copy: an unchanged article read lazily has its fields as getters, which cannot be overwritten.
    const plain = Object.fromEntries(ARTICLE_FIELDS.map((k) => [k, article[k]]).filter(([, v]) => v !== undefined)) as Article;
    out.push({ ...plain, ...c, authors: c.authors ? [...new Set(c.authors)] : plain.authors, contentHash } as Article);
  }
  withdrawn.sort();
  deleted.sort();
  return { articles: out, withdrawn, deleted, corrected };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/u;

/** A correction from form fields (each trimmed; authors and tags split on commas, 、 or ；), or the field and what is wrong with it. */
export function correctionFrom(fields: Record<string, string | undefined>): Correction | { field: string; error: string } {
  const c: Correction = {};
  const list = (v: string) => [...new Set(v.split(/[,，、;；]/u).map((s) => s.trim()).filter(Boolean))];
  if (fields.title !== undefined) {
    const t = fields.title.trim();
    if (!t) return { field: "title", error: "标题不能为空" };
    if (t.length > 500) return { field: "title", error: "标题不能超过 500 字" };
    c.title = t;
  }
  if (fields.authors !== undefined) c.authors = list(fields.authors);
  if (fields.source !== undefined) c.source = fields.source.trim() || null;
  if (fields.date !== undefined) {
    const d = fields.date.trim();
    if (d && (!DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d))
      return { field: "date", error: "日期须为 YYYY-MM-DD 的真实日期" };
    c.date = d || null;
  }
  if (fields.tags !== undefined) c.tags = list(fields.tags);
  for (const [k, v] of Object.entries(c)) if (JSON.stringify(v).length > 4000) return { field: k, error: "内容过长" };
  return c;
}
