// `.doc` (Word 97–2003) and `.wps` (WPS Office writes Word's binary format
// inside an OLE container under its own extension) through word-extractor:
// the body's paragraphs and table rows (cells joined by a space), then
// footnotes and endnotes. A .wps from before WPS adopted Word's format has no
// WordDocument stream and is refused with a message saying so.
import WordExtractor from "word-extractor";
import type { ArticleDraft } from "@/lib/content/article";
import { draftFromBlocks, type Block } from "@/lib/content/documents/blocks";
import { ContentError } from "@/lib/content/errors";

function blocksOf(text: string): Block[] {
  return text
    .split(/\r\n|[\r\n\u000b\u000c]/u)
    .map((line) => line.replace(/\t+/gu, " ").trim())
    .filter(Boolean)
    .map((t) => ({ text: t }));
}

export async function readWord97(bytes: Uint8Array, format: "doc" | "wps"): Promise<ArticleDraft> {
  let body: string;
  let notes: string;
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    body = doc.getBody();
    notes = [doc.getFootnotes(), doc.getEndnotes()].filter((t) => t.trim()).join("\n");
  } catch (e) {
    const why = (e as Error).message.split("\n")[0];
    if (format === "wps") throw new ContentError(`unsupported WPS variant: not in Word's binary format (${why}); save it from WPS as .docx or .doc`);
    throw new ContentError(`not a readable Word 97–2003 file (${why})`);
  }
  const draft = draftFromBlocks([...blocksOf(body), ...blocksOf(notes)]);
  return { ...draft, format };
}
