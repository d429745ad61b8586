// The record the importer keeps beside each page it fetched (a hidden
// `.<name>.fetch.json`): ingest reads the page's URL and the charset the
// server declared from it; the next import run its validators.
import path from "node:path";

/** What is kept beside a fetched page. */
export interface FetchRecord {
  url: string;
  finalUrl: string;
  fetchedAt: string;
  contentType: string | null;
  charset: string | null;
  etag: string | null;
  lastModified: string | null;
  sha256: string;
}

/** The hidden record beside a kept page. */
export function recordPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.fetch.json`);
}

