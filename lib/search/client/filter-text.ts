// A light normalisation for filtering short lists in the browser (facet
// values): full-width to half-width and lower case. The full normalisation
// (with Traditional → Simplified tables) stays on the server.
export function normalizeForFilter(text: string): string {
  return text.normalize("NFKC").toLowerCase().trim();
}
