import { promises as fs } from "node:fs";
import path from "node:path";
import type { NextRequest } from "next/server";

export const dynamic = "force-static";

/** pdf.js's worker and the CMaps and standard fonts it asks for, served from the installed package (the PDF page viewer's only assets). */
const ALLOWED = /^(?:pdf\.worker\.min\.mjs|cmaps\/[A-Za-z0-9_.-]+\.bcmap|standard_fonts\/[A-Za-z0-9_.-]+\.(?:pfb|ttf))$/u;

const TYPES: Record<string, string> = { ".mjs": "text/javascript; charset=utf-8", ".bcmap": "application/octet-stream", ".pfb": "application/octet-stream", ".ttf": "font/ttf" };

export async function GET(_request: NextRequest, { params }: { params: Promise<{ file: string[] }> }) {
  const rel = (await params).file.join("/");
  if (!ALLOWED.test(rel)) return new Response("not found", { status: 404 });
  const where = rel.endsWith(".mjs") ? path.join("build", rel) : rel;
  try {
    const bytes = await fs.readFile(path.join(process.cwd(), "node_modules/pdfjs-dist", where));
    return new Response(new Uint8Array(bytes), { headers: { "Content-Type": TYPES[path.extname(rel)], "Cache-Control": "public, max-age=86400" } });
  } catch {
    return new Response("not found", { status: 404 });
  }
}
