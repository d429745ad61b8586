// What a file really is, from its first bytes rather than its name: people
// rename files, mail gateways append .txt, and a ".docx" saved by a web system
// is sometimes an HTML page. The extension only breaks ties the bytes leave
// open (an OLE file is a .doc or a .wps; a text file is Markdown or plain).
import { zipEntries, ZIP_MAGIC } from "@/lib/content/documents/zip";

export const FORMATS = ["docx", "doc", "wps", "pdf", "image", "html", "text", "markdown", "jsonl"] as const;
/** The format an article was read from: what the API reports and the original's type. */
export type Format = (typeof FORMATS)[number];

export interface Sniffed {
  format: Format;
  /** Set when the name says one thing and the bytes another: kept as a warning on the article. */
  mismatch?: string;
  /** An image's kind, for OCR and for the original's content type. */
  image?: "png" | "jpeg" | "tiff" | "bmp" | "gif" | "webp";
}

const EXTENSIONS: Record<string, Format> = {
  ".docx": "docx", ".docm": "docx", ".doc": "doc", ".wps": "wps", ".pdf": "pdf",
  ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image", ".bmp": "image", ".gif": "image", ".webp": "image",
  ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".jsonl": "jsonl",
};

/** The format a file name claims, or undefined for names we do not read. */
export function formatOfName(name: string): Format | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot).toLowerCase()];
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

function imageKind(bytes: Uint8Array): Sniffed["image"] {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith(bytes, [0x42, 0x4d])) return "bmp";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return undefined;
}

/** Whether a PDF's header is in its first kilobyte (as readers allow: some files carry junk before it). */
function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

function looksHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/u, "").trimStart().toLowerCase();
  return /^<(?:!doctype html|html|head|body|meta|\?xml[^>]*>\s*<html)/u.test(head);
}

/**
 * The file's format by content, with the name breaking ties. Throws nothing:
 * a file that is none of ours comes back as what its name says, and the reader
 * for that format reports what is wrong with it.
 */
export function sniff(bytes: Uint8Array, name: string): Sniffed {
  const claimed = formatOfName(name);
  const found = ((): Sniffed | undefined => {
    if (isPdf(bytes)) return { format: "pdf" };
    const image = imageKind(bytes);
    if (image) return { format: "image", image };
    if (startsWith(bytes, OLE_MAGIC)) return { format: claimed === "wps" ? "wps" : "doc" };
    if (startsWith(bytes, ZIP_MAGIC)) {
      const names = zipEntries(bytes)?.map((e) => e.name) ?? [];
      if (names.includes("word/document.xml")) return { format: "docx" };
      return undefined; // some other zip (an .xlsx, an .odt): the claimed reader says what it is not
    }
    if (claimed === "docx" || claimed === "doc" || claimed === "wps" || claimed === "pdf" || claimed === "image") {
      if (looksHtml(bytes)) return { format: "html" };
    }
    return undefined;
  })();
  if (!found) return { format: claimed ?? "text" };
  const sameFamily = found.format === claimed || (found.format === "doc" && claimed === "wps");
  if (claimed && !sameFamily) return { ...found, mismatch: `named .${name.split(".").pop()} but is ${describe(found)}; read as that` };
  return found;
}

function describe(s: Sniffed): string {
  if (s.format === "image") return `a ${s.image?.toUpperCase()} image`;
  return { docx: "a Word (.docx) file", doc: "a Word 97–2003 (.doc) file", wps: "a WPS file", pdf: "a PDF", html: "an HTML page", text: "text", markdown: "Markdown", jsonl: "JSON lines" }[s.format];
}

/** The content type an original is served with (always as a download). */
export function contentType(s: Pick<Sniffed, "format" | "image">): string {
  switch (s.format) {
    case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case "doc": return "application/msword";
    case "wps": return "application/vnd.ms-works";
    case "pdf": return "application/pdf";
    case "image": return `image/${s.image ?? "png"}`;
    // No charset: an original is served as it was written (GBK, Big5 or UTF-8 alike).
    case "html": return "text/html";
    case "markdown": return "text/markdown";
    case "jsonl": return "application/jsonl";
    default: return "text/plain";
  }
}
