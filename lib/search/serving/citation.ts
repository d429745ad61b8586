// Citations of an article: GB/T 7714-2015 (信息与文献 参考文献著录规则), RIS
// and BibTeX. Electronic resources are [EB/OL] with their 发布日期 in round
// brackets and 引用日期 in square ones; articles of a newspaper are [N] (or
// [N/OL] online); an official document (公文) carries its 发文字号 as other
// title information (题名: 文号). The standard's own examples are in
// tests/unit/citation.test.ts.
import { AUTHOR_JOINER } from "@/lib/content/authors";
import type { ArticleView, SearchHit } from "@/lib/search/engine/types";

export interface Citable {
  id: string;
  title: string;
  /** Authors as written, in order (or the issuing body of a 公文). */
  authors: string[];
  source: string | null;
  date: string | null;
  /** Where it is read online: its own URL, else its reading page here; null cites a print newspaper article. */
  url: string | null;
  docNumber: string | null;
  issuer: string | null;
}

export interface Citation {
  gbt7714: string;
  ris: string;
  bibtex: string;
}

/** The authors of an article view ("张三、李四"). */
export const authorsOf = (author: string | null): string[] => (author ? author.split(AUTHOR_JOINER).filter(Boolean) : []);

/**
 * Newspapers (报纸: [N]): a source named …报 (人民日报, 学习时报, 中国青年报),
 * but not a journal (学报), bulletin (简报, 通报, 公报, 快报, 汇报), pictorial
 * (画报) or yearly (年报, but 青年报 is a paper), nor 情报.
 */
export function isNewspaper(source: string | null): boolean {
  return !!source && /报$/u.test(source.trim()) && !/(学|简|通|公|快|汇|画|情)报$|(?<!青)年报$/u.test(source.trim());
}

/**
 * 主要责任者: up to three, then 等 (GB/T 7714-2015 8.1.2). Without authors, a
 * 公文 is cited under its 发文机关 and a web page under its site (a body as
 * author, as the standard's 中国互联网络信息中心); a newspaper article starts
 * with its title.
 */
function responsible(a: Citable): string {
  const names = a.authors.length ? a.authors : a.issuer ? [a.issuer] : a.source && !isNewspaper(a.source) ? [a.source] : [];
  if (names.length === 0) return "";
  return names.length > 3 ? `${names.slice(0, 3).join(", ")}, 等` : names.join(", ");
}

/** A date as the standard writes it: YYYY-MM-DD. */
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** GB/T 7714-2015: 主要责任者. 题名: 其他题名信息[文献类型标识/载体]. 出处, (发布日期)[引用日期]. 获取和访问路径. */
export function gbt7714(a: Citable, accessed: Date): string {
  const who = responsible(a);
  const head = `${who ? `${who}. ` : ""}${a.title}${a.docNumber ? `: ${a.docNumber}` : ""}`;
  const cited = `[${ymd(accessed)}]`;
  if (isNewspaper(a.source)) {
    // 报纸中的析出文献: 题名[N]. 报纸名, 出版日期(版次). Online: [N/OL] and the 引用日期 after the date.
    const when = a.date ?? "";
    if (!a.url) return `${head}[N]. ${a.source}${when ? `, ${when}` : ""}.`;
    return `${head}[N/OL]. ${a.source}${when ? `, ${when}` : ""}${cited}. ${a.url}.`;
  }
  // 电子资源: [EB/OL]. (更新或修改日期)[引用日期]. 获取和访问路径.
  const published = a.date ? `(${a.date})` : "";
  return `${head}[EB/OL]. ${published}${cited}${a.url ? `. ${a.url}` : ""}.`;
}

/** RIS (Zotero, EndNote, NoteExpress): NEWS for newspapers, GOVDOC for 公文, else ELEC. Lines end in CRLF. */
export function ris(a: Citable, accessed: Date): string {
  const type = isNewspaper(a.source) ? "NEWS" : a.docNumber ? "GOVDOC" : "ELEC";
  const lines: Array<[string, string | null]> = [
    ["TY", type],
    ["TI", a.title],
    ...a.authors.map((name): [string, string] => ["AU", name]),
    ...(a.authors.length === 0 && a.issuer ? [["A2", a.issuer] as [string, string]] : []),
    ["T2", a.source],
    ["PB", a.issuer],
    ["M1", a.docNumber],
    ["PY", a.date?.slice(0, 4) ?? null],
    ["DA", a.date ? a.date.replaceAll("-", "/") : null],
    ["UR", a.url],
    ["Y2", ymd(accessed).replaceAll("-", "/")],
    ["LA", "zh"],
    ["ID", a.id],
  ];
  const one = (v: string) => v.replace(/[\r\n]+/gu, " ");
  return `${lines
    .filter((l): l is [string, string] => !!l[1])
    .map(([tag, v]) => `${tag}  - ${one(v)}`)
    .join("\r\n")}\r\nER  - \r\n`;
}

/** A BibTeX value: braces balanced, TeX's special characters escaped. */
function tex(v: string): string {
  return v.replace(/[\\{}]/gu, (c) => (c === "\\" ? "\\textbackslash{}" : `\\${c}`)).replace(/[#$%&_]/gu, (c) => `\\${c}`).replace(/[~^]/gu, (c) => `\\${c}{}`).replace(/[\r\n]+/gu, " ");
}

/** A citation key from the article id: letters, digits, - _ : only. */
export const bibKey = (id: string) => `dj:${id.replace(/[^A-Za-z0-9_:-]+/gu, "-")}`;

/** BibTeX (biblatex types): @article in a newspaper's journal field, else @online; 文号 as number. */
export function bibtex(a: Citable, accessed: Date): string {
  const newspaper = isNewspaper(a.source);
  const fields: Array<[string, string | null]> = [
    ["title", a.title],
    ["author", a.authors.length ? a.authors.map((n) => `{${tex(n)}}`).join(" and ") : null],
    [newspaper ? "journal" : "organization", a.source ? tex(a.source) : null],
    ["institution", a.issuer && !a.authors.length ? tex(a.issuer) : null],
    ["number", a.docNumber ? tex(a.docNumber) : null],
    ["date", a.date],
    ["year", a.date?.slice(0, 4) ?? null],
    ["url", a.url],
    ["urldate", ymd(accessed)],
    ["langid", "chinese"],
  ];
  const body = fields
    .filter((f): f is [string, string] => !!f[1])
    .map(([k, v]) => `  ${k} = {${k === "title" ? tex(v) : v}}`)
    .join(",\n");
  return `@${newspaper ? "article" : "online"}{${bibKey(a.id)},\n${body}\n}\n`;
}

/** All three. */
export function citationOf(a: Citable, accessed: Date): Citation {
  return { gbt7714: gbt7714(a, accessed), ris: ris(a, accessed), bibtex: bibtex(a, accessed) };
}

/** The reading page of an article on this site. */
export const readingUrl = (origin: string, id: string) => `${origin}/articles/${encodeURIComponent(id)}`;

/** What a citation of an article view or a hit reads: its own URL, else its reading page here. */
export function citable(a: Pick<ArticleView | SearchHit, "id" | "title" | "author" | "source" | "date" | "url" | "docNumber" | "issuer">, origin: string): Citable {
  return { id: a.id, title: a.title, authors: authorsOf(a.author), source: a.source, date: a.date, url: a.url ?? readingUrl(origin, a.id), docNumber: a.docNumber, issuer: a.issuer };
}

/** An article view's citations, cited today. */
export function citeArticle(a: ArticleView, origin: string, now: Date): Citation {
  return citationOf(citable(a, origin), now);
}
