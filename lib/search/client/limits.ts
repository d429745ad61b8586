// Kept apart from params.ts (which needs zod) so pages in the browser can name the limits too.

/**
 * What one request may ask for, so that no request, however odd, does
 * unbounded work (measured on the ~30k corpus: 16 ORed common characters
 * ≈ 33 ms, a pasted 256-character sentence ≈ 20 ms). The same limits hold for
 * the API, the search page, the feed and the CLI.
 */
export const LIMITS = {
  /** Characters (code points) in q. */
  queryChars: 256,
  /** Words, phrases, exclusions and OR alternatives in q. */
  queryParts: 16,
  /** page × size: how deep into the results one may page. */
  resultDepth: 10_000,
  /** Values of author, and of source. */
  filterValues: 20,
  /** Characters in one author or source value. */
  filterChars: 100,
} as const;
