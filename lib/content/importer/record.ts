// The record the importer keeps beside each page it fetched (a hidden
// `.<name>.fetch.json`): ingest reads the page's URL and the charset the
// server declared from it; the next import run its validators.
import { promises as fs } from "node:fs";
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


/** The record beside a page (`file` is the page), or null when there is none or it does not read. */
export async function readRecord(file: string): Promise<FetchRecord | null> {
  try {
    return JSON.parse(await fs.readFile(recordPath(file), "utf8")) as FetchRecord;
  } catch {
    return null;
  }
}
