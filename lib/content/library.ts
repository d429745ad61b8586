import "server-only";
// The articles of CONTENT_DIR, read once per server process.
import type { Article } from "@/lib/content/article";
import { contentDir, ingest } from "@/lib/content/ingest";

let loading: Promise<Article[]> | null = null;

export function libraryArticles(): Promise<Article[]> {
  loading ??= ingest([contentDir()]).then((r) => r.articles);
  return loading;
}
