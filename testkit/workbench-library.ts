// A generated library for the workbench's tests: titles, bodies of sentences
// and paragraphs, authors, sources and 文号 drawn from small vocabularies,
// some written in Traditional characters, and a plain scan of it that answers
// field, NEAR and trend questions without the index (the tests' ground truth).
import type { Article, ArticleDraft } from "@/lib/content/article";
import { finishArticle } from "@/lib/content/ingest";
import { normalize } from "@/lib/text/normalize";
import { seededRandom } from "@/testkit/search-quality";

/** Words of the generated texts; each has a Traditional form where its characters have one. */
export const WORDS: Array<[string, string]> = [
  ["党建", "黨建"],
  ["创新", "創新"],
  ["学习", "學習"],
  ["发展", "發展"],
  ["基层", "基層"],
  ["治理", "治理"],
  ["群众", "群眾"],
  ["服务", "服務"],
  ["组织", "組織"],
  ["质量", "質量"],
  ["教育", "教育"],
  ["乡村", "鄉村"],
  ["振兴", "振興"],
  ["干部", "幹部"],
  ["作风", "作風"],
  ["纪律", "紀律"],
  ["新质生产力", "新質生產力"],
  ["高质量发展", "高質量發展"],
  ["社区", "社區"],
  ["志愿者", "志願者"],
];
const FILLER = ["的", "和", "在", "把", "对", "与"];
const ENDS = ["。", "！", "？", "；", "，", "，", "，"];
export const AUTHORS = ["张三", "张三丰", "李四", "王五", "陳志明", "赵六"];
export const SOURCES = ["机关党建通讯", "清风周刊", "人民日报", "学习时报", "社区党建简报"];

/** `count` articles from a seed: dates spread over 2015–2024, one in six a 公文 with a 文号. */
export function workbenchArticles(count: number, seed = 31): Article[] {
  const r = seededRandom(seed);
  const out: Article[] = [];
  for (let i = 0; i < count; i++) {
    const traditional = r(4) === 0;
    const word = () => WORDS[r(WORDS.length)][traditional ? 1 : 0];
    const sentence = () => {
      let s = "";
      const n = 2 + r(5);
      for (let k = 0; k < n; k++) s += (k ? FILLER[r(FILLER.length)] : "") + word();
      return s + ENDS[r(ENDS.length)];
    };
    const paragraphs = Array.from({ length: 1 + r(4) }, () => Array.from({ length: 1 + r(4) }, sentence).join(""));
    const year = 2015 + r(10);
    const official = r(6) === 0;
    const draft: ArticleDraft & { id: string } = {
      id: `wb-${i}`,
      title: `${word()}${word()}${r(2) ? word() : ""}`,
      authors: r(5) === 0 ? [] : r(4) === 0 ? [AUTHORS[r(AUTHORS.length)], AUTHORS[r(AUTHORS.length)]] : [AUTHORS[r(AUTHORS.length)]],
      source: r(6) === 0 ? null : SOURCES[r(SOURCES.length)],
      date: r(20) === 0 ? null : `${year}-${String(1 + r(12)).padStart(2, "0")}-${String(1 + r(28)).padStart(2, "0")}`,
      paragraphs,
      ...(official && { docNumber: `${["示组发", "示宣发", "示纪发"][r(3)]}〔${year}〕${1 + r(30)}号`, docType: "通知" }),
    };
    out.push(finishArticle(draft, `generated/${draft.id}`, draft.id));
  }
  return out;
}

/** Every start of `term` in `text` (overlapping too). */
function starts(text: string, term: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + term.length <= text.length; i++) if (text.slice(i, i + term.length) === term) out.push(i);
  return out;
}

/** The scan's view of an article: normalised fields, as a reader would compare them. */
export interface Scanned {
  id: string;
  title: string;
  body: string;
  authors: string[];
  source: string;
  docNumber: string;
  date: string | null;
}

export function scanned(a: Article): Scanned {
  return {
    id: a.id,
    title: normalize(a.title),
    body: a.paragraphs.map(normalize).join("\n"),
    authors: a.authors.map((x) => normalize(x).trim()),
    source: normalize(a.source ?? "").trim(),
    docNumber: normalize(a.docNumber ?? "").trim(),
    date: a.date,
  };
}

/** Field containment, by the scan: the term (normalised) in the title, the body, one author, the source or the 文号. */
export function fieldHolds(a: Scanned, field: "title" | "body" | "author" | "source" | "docNumber", term: string): boolean {
  const t = normalize(term).trim();
  if (field === "author") return a.authors.some((x) => x.includes(t));
  if (field === "title") return a.title.includes(t);
  if (field === "body") return a.body.includes(t);
  if (field === "source") return a.source.includes(t);
  return a.docNumber.includes(t);
}

/**
 * NEAR by brute force over every pair of occurrences, in the article's whole
 * text (title, a line break, body): within n characters between them, or the
 * same sentence (split at 。!?; and line ends) or paragraph (line); the same
 * term twice needs two occurrences.
 */
export function nearHolds(a: Scanned, left: string, right: string, within: number | "sentence" | "paragraph"): boolean {
  const text = `${a.title}\n${a.body}`;
  const l = normalize(left);
  const r = normalize(right);
  const unitOf = (at: number) => {
    const before = text.slice(0, at);
    return within === "sentence" ? before.split(/[。!?;\n]/u).length : before.split("\n").length;
  };
  for (const x of starts(text, l))
    for (const y of starts(text, r)) {
      // One occurrence is never near itself.
      if (l === r && x === y) continue;
      if (typeof within === "number") {
        const gap = Math.max(y - (x + l.length), x - (y + r.length));
        if (gap <= within) return true;
      } else if (unitOf(x) === unitOf(y)) return true;
    }
  return false;
}

/** Occurrences of a term in an article's whole text, overlapping ones counted. */
export function occurrencesOf(a: Scanned, term: string): number {
  return starts(`${a.title}\n${a.body}`, normalize(term)).length;
}
