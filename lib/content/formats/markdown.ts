// `.md` articles written or converted by people: YAML front matter for the
// metadata, Markdown for the body. The body is reduced to plain paragraphs;
// formatting is not searched and the reading page typesets paragraphs itself.
import { marked, type Token, type Tokens } from "marked";
import { parse as parseYaml } from "yaml";
import type { ArticleDraft } from "@/lib/content/article";
import { tidyLine } from "@/lib/content/clean";
import { parseDate, splitAuthors } from "@/lib/content/metadata";

import { ContentError } from "@/lib/content/errors";

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/u;

function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  return tokens
    .map((t) => {
      switch (t.type) {
        case "br":
          return "\n";
        case "image":
          return (t as Tokens.Image).text;
        case "html":
          return (t as Tokens.HTML).text.replace(/<[^>]*>/gu, "");
        case "codespan":
          return (t as Tokens.Codespan).text;
        default:
          return "tokens" in t && t.tokens ? inlineText(t.tokens as Token[], "text" in t ? String(t.text) : "") : "text" in t ? String(t.text) : "";
      }
    })
    .join("");
}

function blockLines(tokens: Token[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case "heading":
      case "paragraph":
      case "text":
        out.push(...inlineText((t as Tokens.Paragraph).tokens, (t as Tokens.Paragraph).text).split("\n"));
        break;
      case "blockquote":
        out.push(...blockLines((t as Tokens.Blockquote).tokens));
        break;
      case "list":
        for (const item of (t as Tokens.List).items) out.push(blockLines(item.tokens).join(" "));
        break;
      case "code":
        out.push(...(t as Tokens.Code).text.split("\n"));
        break;
      case "table": {
        const table = t as Tokens.Table;
        for (const row of [table.header, ...table.rows]) out.push(row.map((c) => inlineText(c.tokens, c.text)).join(" "));
        break;
      }
      case "html":
        out.push(...(t as Tokens.HTML).text.replace(/<[^>]*>/gu, "\n").split("\n"));
        break;
      default:
        break;
    }
  }
  return out.map(tidyLine).filter((l) => l.length > 0);
}

function asString(value: unknown, field: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  throw new ContentError(`front matter field "${field}" must be text, got ${Array.isArray(value) ? "a list" : typeof value}`);
}

function asStringList(value: unknown, field: string): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => asString(v, field) ?? []);
  const s = asString(value, field);
  return s ? [s] : [];
}

export function readMarkdown(text: string): ArticleDraft {
  const m = FRONT_MATTER.exec(text.replace(/^\uFEFF/u, ""));
  let data: Record<string, unknown> = {};
  const warnings: string[] = [];
  if (m) {
    let parsed: unknown;
    try {
      parsed = parseYaml(m[1]);
    } catch (e) {
      const first = String((e as Error).message).split("\n")[0];
      throw new ContentError(`bad front matter: ${first}`);
    }
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new ContentError("bad front matter: expected key: value pairs");
    }
    data = (parsed ?? {}) as Record<string, unknown>;
  } else if (text.startsWith("---")) {
    throw new ContentError("bad front matter: no closing ---");
  }
  const body = m ? text.slice(m[0].length) : text;
  const tokens = marked.lexer(body);
  const lines = blockLines(tokens);
  let title = asString(data.title, "title");
  // Without a title in front matter, a leading "# heading" is the title.
  const first = tokens.find((t) => t.type !== "space");
  if (first?.type === "heading" && (first as Tokens.Heading).depth === 1) {
    const heading = tidyLine(inlineText((first as Tokens.Heading).tokens, (first as Tokens.Heading).text));
    if (!title) title = heading;
    if (lines[0] === heading) lines.shift();
  }
  const rawDate = asString(data.date, "date");
  const date = rawDate ? parseDate(rawDate) : null;
  if (rawDate && !date) warnings.push(`front matter date "${rawDate}" is not a date; ignored`);
  const authorValues = asStringList(data.author ?? data.authors, "author");
  return {
    id: asString(data.id, "id"),
    title,
    authors: authorValues.flatMap((a) => splitAuthors(a)),
    source: asString(data.source, "source"),
    date,
    url: asString(data.url, "url"),
    tags: asStringList(data.tags, "tags"),
    paragraphs: lines,
    warnings,
  };
}
