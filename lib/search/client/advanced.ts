// The advanced search form → a query in the one query language (and the
// filters it has parameters for), so that what the form builds is what a
// person could have typed, and they see it in the search box.

export const WHERE = { any: "任意位置", title: "标题", body: "正文" } as const;
export type Where = keyof typeof WHERE;

export interface AdvancedForm {
  all: string;
  exact: string;
  any: string;
  none: string;
  where: Where;
  author: string;
  source: string;
  docType: string;
  from: string;
  to: string;
}

export const EMPTY_FORM: AdvancedForm = { all: "", exact: "", any: "", none: "", where: "any", author: "", source: "", docType: "", from: "", to: "" };

/** Words as typed: separated by spaces or Chinese list punctuation (、，,). */
const wordsOf = (s: string) => s.split(/[\s\u3000,，、;；]+/u).filter(Boolean);

/** A word as the query language reads it literally: quoted when it holds a space or quote, is an operator (OR, NEAR/n), starts with - or names a field. */
function literal(word: string): string {
  const clean = word.replace(/["“”「」『』＂]/gu, "");
  return /\s|^[-－]|^OR$|^NEAR\//u.test(clean) || /^[^:：]{1,8}[:：]/u.test(clean) ? `"${clean}"` : clean;
}

/** The query the form describes. */
export function composeQuery(f: AdvancedForm): string {
  const at = f.where === "title" ? "标题:" : f.where === "body" ? "正文:" : "";
  const parts: string[] = [];
  for (const w of wordsOf(f.all)) parts.push(at + literal(w));
  const exact = f.exact.replace(/["“”「」『』＂]/gu, "").trim();
  if (exact) parts.push(`${at}"${exact}"`);
  const any = wordsOf(f.any);
  if (any.length) parts.push(any.map((w) => at + literal(w)).join(" | "));
  for (const w of wordsOf(f.none)) parts.push(`-${at}${literal(w)}`);
  if (f.author.trim()) parts.push(`作者:${literal(f.author.trim())}`);
  if (f.source.trim()) parts.push(`来源:${literal(f.source.trim())}`);
  return parts.join(" ");
}

/** The search page the form leads to: the composed query, the 文种 and the dates as parameters. */
export function advancedHref(f: AdvancedForm): string {
  const p = new URLSearchParams();
  const q = composeQuery(f);
  if (q) p.set("q", q);
  if (f.docType.trim()) p.set("docType", f.docType.trim());
  if (f.from.trim()) p.set("from", f.from.trim());
  if (f.to.trim()) p.set("to", f.to.trim());
  const qs = p.toString();
  return qs ? `/?${qs}` : "/";
}

/** The form as submitted (a URL's parameters), anything missing empty. */
export function formFromParams(raw: Record<string, string | string[] | undefined>): AdvancedForm {
  const one = (k: string) => {
    const v = raw[k];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const where = one("where");
  return { all: one("all"), exact: one("exact"), any: one("any"), none: one("none"), where: where === "title" || where === "body" ? where : "any", author: one("author"), source: one("source"), docType: one("docType"), from: one("from"), to: one("to") };
}
