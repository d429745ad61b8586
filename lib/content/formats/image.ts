// Images of text (a phone photo of a printed speech, a scanner's TIFF): read
// by OCR (ocr.ts), marked `ocr: true` so the reading page can say the text was
// recognised from a scan.
import type { ArticleDraft } from "@/lib/content/article";
import { draftFromBlocks } from "@/lib/content/documents/blocks";
import { furniture, paragraphs } from "@/lib/content/documents/layout";
import { recogniseImage } from "@/lib/content/documents/ocr";
import { ContentError } from "@/lib/content/errors";

export async function readImage(bytes: Uint8Array, kind: string): Promise<ArticleDraft> {
  let lines;
  try {
    ({ lines } = await recogniseImage(bytes, kind === "jpeg" ? "jpg" : kind));
  } catch (e) {
    if (e instanceof ContentError && e.message.startsWith("text recognition failed")) throw new ContentError(`not a readable ${kind.toUpperCase()} image (${e.message})`);
    throw e;
  }
  if (lines.map((l) => l.text).join("").replace(/\s/gu, "").length < 4) throw new ContentError("no text was recognised in this image");
  const drop = furniture([lines])[0];
  const { done, open } = paragraphs(lines.filter((l) => !drop.has(l)), 1, null);
  const draft = draftFromBlocks(open ? [...done, open] : done);
  return { ...draft, format: "image", ocr: true, pages: undefined };
}
