// Turning the lines a format reader found into the article's paragraphs:
// the junk filters every format shares, applied once, in one order.
import { isBoilerplate, isDebris, isSpamLine } from "@/lib/content/clean";
import { dateOnlyLine, metadataLine, parenthesisedSource, type LineMetadata } from "@/lib/content/metadata";
import { detectScript } from "@/lib/text/script";

export interface CleanedBody {
  paragraphs: string[];
  /** Metadata read from lines that were removed, or from a （来源：…） line that was kept. */
  found: LineMetadata;
  spamLines: number;
}

function mergeMeta(into: LineMetadata, from: LineMetadata): void {
  if (into.authors.length === 0 && from.authors.length > 0) into.authors = from.authors;
  if (!into.source && from.source) into.source = from.source;
  if (!into.date && from.date) into.date = from.date;
}

/** How many lines at each end of the body may be metadata rather than prose. */
const EDGE = 4;

/**
 * Filters body lines: debris, boilerplate and spam go; metadata lines at the
 * top or bottom of the body are read and removed; a repeated title line at the
 * top goes, and so do lines named in `furniture` (e.g. a page's navigation
 * link texts repeated as a section heading) before the first paragraph. A （来源：…） line stays in the text (it is what the author wrote)
 * and also gives the source.
 */
export function cleanBody(lines: string[], title: string | null, furniture: ReadonlySet<string> = new Set()): CleanedBody {
  const found: LineMetadata = { authors: [], source: null, date: null };
  const kept = lines.filter((l) => !isDebris(l) && !isBoilerplate(l));
  const script = detectScript(kept.join("\n"));
  let spamLines = 0;
  let parenthesised: string | null = null;
  const paragraphs: string[] = [];
  kept.forEach((line, i) => {
    if (isSpamLine(line, script)) {
      spamLines++;
      return;
    }
    const atEdge = i < EDGE || i >= kept.length - EDGE;
    if (atEdge) {
      if (paragraphs.length === 0 && (line === title || furniture.has(line))) return;
      const meta = metadataLine(line);
      if (meta) {
        mergeMeta(found, meta);
        return;
      }
      const date = i < EDGE && paragraphs.length === 0 ? dateOnlyLine(line) : null;
      if (date) {
        if (!found.date) found.date = date;
        return;
      }
    }
    // The last attribution wins: an article quoting another source closes with its own.
    const source = parenthesisedSource(line);
    if (source) parenthesised = source;
    paragraphs.push(line);
  });
  if (!found.source) found.source = parenthesised;
  return { paragraphs, found, spamLines };
}
