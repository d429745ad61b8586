// From a document's blocks (paragraphs, headings, table rows, each with the
// page it is on) to an article draft: 公文 fields first, then the title, then
// the body through the same filters as every other format, with each kept
// paragraph's page carried along.
import type { ArticleDraft } from "@/lib/content/article";
import { cleanBody } from "@/lib/content/body";
import { isBoilerplate, isDebris, tidyLine } from "@/lib/content/clean";
import { docTypeOfTitle, officialFields } from "@/lib/content/documents/official-document";
import { titleLineIndex, titleOfLine } from "@/lib/content/formats/text";
import radicals from "@/lib/text/radicals.json";

export interface Block {
  text: string;
  /** 1-based page of a paged original (PDF, scan). */
  page?: number;
  /** Heading level (1 for a title or first-level heading), when the format says. */
  heading?: number;
}

/** What the file says about itself besides its text (a Word file's core properties). */
export interface FileMetadata {
  title?: string | null;
  authors?: string[];
  date?: string | null;
}

const RADICALS: Record<string, string> = radicals.table;
const RADICAL_RANGE = /[\u2E80-\u2FDF]/gu;

/**
 * Text as a reader wants it: CJK radicals that fonts map glyphs to (⻅ for 见)
 * back to the characters, tidied like every other line. Applied to what is
 * stored, so a copied passage pastes as the characters people see.
 */
export function documentLine(text: string): string {
  return tidyLine(text.replace(RADICAL_RANGE, (c) => (RADICALS[c]?.length === 1 ? RADICALS[c] : c)));
}

const MAX_TITLE = 100;

/** The draft of a document read as blocks. */
export function draftFromBlocks(blocks: readonly Block[], meta: FileMetadata = {}): ArticleDraft {
  const kept = blocks.map((b) => ({ ...b, text: documentLine(b.text) })).filter((b) => b.text.length > 0 && !isDebris(b.text) && !isBoilerplate(b.text));
  const lines = kept.map((b) => b.text);
  const official = officialFields(lines);
  let title: string | null = null;
  let rest = kept;
  if (official?.title) {
    title = official.title;
    rest = [...kept.slice(0, official.titleAt), ...kept.slice(official.titleAt + official.titleLines)];
  } else {
    // A heading the format marks (Word's Title or Heading 1), else the file's own title, else the first line that reads as one.
    const heading = kept.findIndex((b, i) => i < 8 && b.heading === 1 && b.text.length <= MAX_TITLE);
    const at = heading >= 0 || meta.title ? heading : titleLineIndex(lines);
    if (at >= 0) {
      title = titleOfLine(kept[at].text);
      rest = [...kept.slice(0, at), ...kept.slice(at + 1)];
    } else title = meta.title?.trim() || null;
  }
  const body = cleanBody(
    rest.map((b) => b.text),
    title,
  );
  const pages = pagesOf(rest, body.paragraphs);
  return {
    title,
    authors: body.found.authors.length ? body.found.authors : (meta.authors ?? []),
    source: body.found.source ?? official?.issuer ?? null,
    date: official?.date ?? body.found.date ?? meta.date ?? null,
    paragraphs: body.paragraphs,
    pages,
    ...(official ? { issuer: official.issuer, docNumber: official.docNumber, docType: official.docType ?? (title ? docTypeOfTitle(title) : null) } : {}),
    warnings: body.spamLines ? [`dropped ${body.spamLines} spam line(s)`] : [],
  };
}

/** Each kept paragraph's page (the body is an in-order subset of the blocks), or undefined when the blocks have none. */
function pagesOf(blocks: readonly Block[], paragraphs: readonly string[]): number[] | undefined {
  if (!blocks.some((b) => b.page !== undefined)) return undefined;
  const pages: number[] = [];
  let at = 0;
  for (const p of paragraphs) {
    while (at < blocks.length && blocks[at].text !== p) at++;
    pages.push(blocks[Math.min(at, blocks.length - 1)]?.page ?? 1);
    if (at < blocks.length) at++;
  }
  return pages;
}
