// An article as the back office edits it: its fields as the live index has
// them (corrections applied), and the uploaded file it came from, if any.
import type { ArticleFields } from "@/lib/admin/article-actions";
import { AUTHOR_JOINER } from "@/lib/content/authors";
import { uploadedFileOf } from "@/lib/admin/uploads";
import { loadSearchIndex } from "@/lib/search/serving/server";

/** The article's fields now, or null when the live index has no such article (withdrawn, deleted, or never). */
export async function currentFields(id: string): Promise<ArticleFields | null> {
  const a = await (await loadSearchIndex()).getAsync(id);
  if (!a) return null;
  return { id, title: a.title, authors: a.author ? a.author.split(AUTHOR_JOINER) : [], source: a.source, date: a.date, tags: a.tags, origin: (await uploadedFileOf(id)) ?? "" };
}
