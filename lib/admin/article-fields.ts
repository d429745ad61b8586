// An article as the back office edits it: its fields as the live index has
// them (corrections applied), and the uploaded file it came from, if any.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ArticleFields } from "@/lib/admin/article-actions";
import { AUTHOR_JOINER } from "@/lib/content/authors";
import { contentDir, idFromPath } from "@/lib/content/ingest";
import { loadSearchIndex } from "@/lib/search/serving/server";

/** The article's fields now, or null when the live index has no such article (withdrawn, deleted, or never). */
export async function currentFields(id: string): Promise<ArticleFields | null> {
  const a = await (await loadSearchIndex()).getAsync(id);
  if (!a) return null;
  return { id, title: a.title, authors: a.author ? a.author.split(AUTHOR_JOINER) : [], source: a.source, date: a.date, tags: a.tags, origin: (await uploadedFileOf(id)) ?? "" };
}

/** The uploaded file (relative to the content folder) whose article has this id, or null. */
export async function uploadedFileOf(id: string): Promise<string | null> {
  const root = path.join(contentDir(), "uploads");
  const months = await fs.readdir(root).catch(() => [] as string[]);
  for (const month of months) {
    const names = await fs.readdir(path.join(root, month)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const rel = `uploads/${month}/${name}`;
      if (idFromPath(rel) === id) return rel;
    }
  }
  return null;
}
