// `.docx` (Office Open XML) through mammoth: headings, paragraphs, list items
// and table rows become blocks (a row's cells joined by a space, so words in
// neighbouring cells never run together); the core properties (title,
// creator, created) fill in what the text does not say. The archive is
// checked first (zip.ts): a bomb or a truncated file is refused before it is
// unpacked.
import * as cheerio from "cheerio";
import mammoth from "mammoth";
import type { ArticleDraft } from "@/lib/content/article";
import { draftFromBlocks, type Block, type FileMetadata } from "@/lib/content/documents/blocks";
import { zipProblem, zipRead } from "@/lib/content/documents/zip";
import { ContentError } from "@/lib/content/errors";
import { splitAuthors } from "@/lib/content/metadata";

/** A Word file's parts together stay well under this (a 500-page report is a few MB of XML). */
export const DOCX_LIMITS = { maxTotalBytes: 200 * 1024 * 1024, maxEntries: 5000 };

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
  "p[style-name='副标题'] => h2:fresh",
];

function coreProperties(bytes: Uint8Array): FileMetadata {
  const xml = zipRead(bytes, "docProps/core.xml")?.toString("utf8");
  if (!xml) return {};
  const $ = cheerio.load(xml, { xml: true });
  const text = (tag: string) => $(tag).first().text().trim() || null;
  const created = text("dcterms\\:created");
  return {
    title: text("dc\\:title"),
    authors: splitAuthors(text("dc\\:creator") ?? ""),
    date: created && /^\d{4}-\d{2}-\d{2}/u.test(created) ? created.slice(0, 10) : null,
  };
}

/** The blocks of mammoth's HTML, in document order. */
export function blocksOfHtml(html: string): Block[] {
  const $ = cheerio.load(html);
  const blocks: Block[] = [];
  const walk = (nodes: cheerio.Cheerio<never>) => {
    nodes.each((_i, node) => {
      const el = $(node);
      const name = (node as unknown as { name?: string }).name;
      if (!name) return;
      if (/^h[1-6]$/u.test(name)) blocks.push({ text: el.text(), heading: Number(name[1]) });
      else if (name === "table") {
        el.find("tr").each((_j, tr) => {
          const cells = $(tr)
            .children("td, th")
            .toArray()
            .map((td) => $(td).find("p").toArray().map((p) => $(p).text().trim()).filter(Boolean).join(" ") || $(td).text().trim())
            .filter(Boolean);
          if (cells.length) blocks.push({ text: cells.join(" ") });
        });
      } else if (name === "ul" || name === "ol") walk(el.children() as cheerio.Cheerio<never>);
      else if (name === "li") {
        const own = el.clone().children("ul, ol").remove().end().text();
        blocks.push({ text: own });
        walk(el.children("ul, ol") as cheerio.Cheerio<never>);
      } else blocks.push({ text: el.text() });
    });
  };
  walk($("body").children() as cheerio.Cheerio<never>);
  return blocks;
}

export async function readDocx(bytes: Uint8Array): Promise<ArticleDraft> {
  const problem = zipProblem(bytes, DOCX_LIMITS);
  if (problem) throw new ContentError(`not a readable Word file: ${problem}`);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) }, { styleMap: STYLE_MAP, ignoreEmptyParagraphs: true })).value;
  } catch (e) {
    throw new ContentError(`not a readable Word file: ${(e as Error).message.split("\n")[0]}`);
  }
  const draft = draftFromBlocks(blocksOfHtml(html), coreProperties(bytes));
  return { ...draft, format: "docx" };
}
