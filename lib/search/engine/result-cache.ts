// Recent results pages of one generation, least recently used first. An
// index never changes, so a repeated request gets the same page without
// running again; a new generation starts with an empty cache.
import type { SearchRequest, SearchResponse } from "@/lib/search/engine/types";

/** Every field of a request that changes its answer, in a fixed order. */
function requestKey(r: SearchRequest): string {
  return JSON.stringify([r.q, r.authors, r.sources, r.from, r.to, r.sort, r.page, r.size, r.group ?? true, r.docTypes ?? [], r.issuers ?? []]);
}

export class ResultCache {
  private readonly answers = new Map<string, SearchResponse>();

  /** `entries` pages at most (RESULT_CACHE_ENTRIES); 0 keeps none. */
  constructor(readonly entries: number) {}

  get enabled(): boolean {
    return this.entries > 0;
  }

  key(req: SearchRequest): string {
    return requestKey(req);
  }

  /** A kept answer to this request (moved to the most recent end) with `tookMs` this answer's own time, or null. */
  get(key: string, started: number): SearchResponse | null {
    const kept = this.answers.get(key);
    if (!kept) return null;
    this.answers.delete(key);
    this.answers.set(key, kept);
    return { ...kept, tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /** Keeps an answer (callers must not change it afterwards); returns it. */
  set(key: string, response: SearchResponse): SearchResponse {
    this.answers.set(key, response);
    if (this.answers.size > this.entries) this.answers.delete(this.answers.keys().next().value!);
    return response;
  }
}
