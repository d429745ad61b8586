// A page's lines, from a PDF's text layer or a scan's recognised words, into
// paragraphs: a new one where a line is indented, the line above ends short,
// the gap widens or the type size changes; running headers, footers and page
// numbers set apart at a page's top or bottom dropped. Coordinates with y
// growing up the page, as PDFs have them (recognised lines are flipped).
import type { Block } from "@/lib/content/documents/blocks";

export const HAN_OR_PUNCT = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’—…·]/u;

export interface Line {
  text: string;
  x: number;
  end: number;
  y: number;
  size: number;
}

export const PAGE_NUMBER = /^[-—–－\s]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:页|頁)?(?:\s*[/／共]\s*[0-9０-９]{1,4}\s*(?:页|頁)?)?[-—–－\s]*$|^(?:page|p\.)\s*\d+(?:\s*(?:of|\/)\s*\d+)?$/iu;

/**
 * A page's running header and footer: a line set apart from the text block
 * (by a wider gap than the page's lines have between them) at the top or
 * bottom, that is a page number or, short, repeats on most pages (digits
 * aside: 第3页, 2024年第5期).
 */
export function furniture(pages: Line[][]): Array<Set<Line>> {
  const edges = pages.map((lines) => {
    const usual = lineGap(lines);
    const apart = (a: Line, b: Line) => a.y - b.y > Math.max(usual * 1.5, a.size * 1.2);
    const out: Line[] = [];
    for (let i = 0; i < Math.min(2, lines.length - 1) && apart(lines[i], lines[i + 1]); i++) out.push(lines[i]);
    for (let i = lines.length - 1; i > Math.max(0, lines.length - 3) && apart(lines[i - 1], lines[i]); i--) out.push(lines[i]);
    // A page of one or two lines has no text block to stand apart from: only a page number there is furniture.
    if (lines.length <= 2) return lines.filter((l) => PAGE_NUMBER.test(l.text));
    return out;
  });
  const key = (l: Line) => l.text.replace(/[0-9０-９]+/gu, "#").replace(/\s+/gu, "");
  const counts = new Map<string, number>();
  for (const edge of edges) for (const k of new Set(edge.map(key))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const textPages = pages.filter((p) => p.length > 0).length;
  return edges.map((edge) => {
    const drop = new Set<Line>();
    for (const l of edge) {
      if (PAGE_NUMBER.test(l.text)) drop.add(l);
      else if (textPages >= 2 && l.text.length <= 40 && (counts.get(key(l)) ?? 0) >= Math.max(2, Math.ceil(textPages * 0.5))) drop.add(l);
    }
    return drop;
  });
}

/** The usual distance between a page's lines (gaps wider than three lines, around headers and figures, aside). */
function lineGap(lines: Line[]): number {
  const gaps = lines.slice(1).map((l, i) => lines[i].y - l.y).filter((g, i) => g > 0 && g <= Math.max(lines[i].size, lines[i + 1].size) * 3);
  return median(gaps) || (lines[0]?.size ?? 12) * 1.5;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * A page's lines as paragraphs: a new one where a line is indented, the one
 * above ends short, the gap widens or the size changes. `carry` is the last
 * paragraph of the page before when it ran to the margin (it may go on here);
 * `open` is this page's last paragraph when it does the same. `textRight`:
 * where the document's lines usually end, for pages too short to tell.
 */
export function paragraphs(lines: Line[], page: number, carry: Block | null, textRight?: number): { done: Block[]; open: Block | null } {
  const done: Block[] = [];
  if (lines.length === 0) return { done: carry ? [carry] : [], open: null };
  const left = Math.min(...lines.map((l) => l.x));
  // A page of a line or two cannot say where its text block ends: the document's usual right edge does.
  const right = lines.length < 3 && textRight !== undefined ? textRight : Math.max(...lines.map((l) => l.end));
  const usual = lineGap(lines);
  const endsShort = (l: Line) => l.end < right - l.size * 1.5;
  const startsNew = (l: Line, before: Line | null): boolean => {
    if (l.x - left > l.size * 0.9) return true;
    if (!before) return false;
    if (endsShort(before)) return true;
    if (before.y - l.y > usual * 1.35) return true;
    return Math.abs(before.size - l.size) > Math.max(before.size, l.size) * 0.15;
  };
  let current: Block | null = carry;
  let prev: Line | null = null;
  for (const l of lines) {
    if (current && !startsNew(l, prev)) {
      const tail = current.text.at(-1) ?? "";
      current.text += HAN_OR_PUNCT.test(tail) || HAN_OR_PUNCT.test(l.text[0]) || tail === "-" ? "" : " ";
      current.text += l.text;
    } else {
      if (current) done.push(current);
      current = { text: l.text, page };
    }
    prev = l;
  }
  if (current && prev && endsShort(prev)) {
    done.push(current);
    return { done, open: null };
  }
  return { done, open: current };
}

/** Where a document's full lines end: the largest right edge of its pages of three lines or more (else of any page). */
export function usualRight(pages: Line[][]): number | undefined {
  const full = pages.filter((p) => p.length >= 3);
  const ends = (full.length ? full : pages).flatMap((p) => p.map((l) => l.end));
  return ends.length ? Math.max(...ends) : undefined;
}
