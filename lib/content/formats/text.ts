// `.txt` pages: a scraped page saved as text, like the project's seed. Leftover
// tags at the top, the title on its own line, metadata run together on the
// next line, then the body, sometimes with a spam line at the end.
import type { ArticleDraft } from "@/lib/content/article";
import { cleanBody } from "@/lib/content/body";
import { isBoilerplate, isDebris, stripTags, toLines } from "@/lib/content/clean";
import { dateOnlyLine, metadataLine } from "@/lib/content/metadata";

const TITLE_PREFIX = /^(?:标题|標題|题目|題目)\s*[:：]\s*/u;
const MAX_TITLE = 100;

/** Where the title is among a page's lines: the first line that is not metadata, if it reads as a heading (−1: none). */
export function titleLineIndex(lines: readonly string[]): number {
  for (let i = 0; i < Math.min(lines.length, 8); i++) {
    const line = lines[i];
    if (metadataLine(line) || dateOnlyLine(line)) continue;
    return line.length <= MAX_TITLE && !/[。！？]$/u.test(line) ? i : -1;
  }
  return -1;
}

/** A title line without a 标题： label. */
export function titleOfLine(line: string): string {
  return line.replace(TITLE_PREFIX, "");
}

export function readText(text: string): ArticleDraft {
  const lines = toLines(stripTags(text)).filter((l) => !isDebris(l) && !isBoilerplate(l));
  const titleIndex = titleLineIndex(lines);
  const title = titleIndex >= 0 ? titleOfLine(lines[titleIndex]) : null;
  const rest = titleIndex >= 0 ? [...lines.slice(0, titleIndex), ...lines.slice(titleIndex + 1)] : lines;
  const body = cleanBody(rest, title);
  return {
    title,
    authors: body.found.authors,
    source: body.found.source,
    date: body.found.date,
    paragraphs: body.paragraphs,
    warnings: body.spamLines ? [`dropped ${body.spamLines} spam line(s)`] : [],
  };
}
