// Metadata found in the text of scraped pages: labelled fields such as
// 作者：/來源:/发布时间, in both scripts, often several run together on one
// line without separators (作者:吳紫娟來源:中國郵政網發布時間:2018-12-05).

export interface LineMetadata {
  authors: string[];
  source: string | null;
  date: string | null;
}

const AUTHOR_LABELS = ["作者", "撰文", "撰稿", "记者", "記者", "通讯员", "通訊員", "文"];
const SOURCE_LABELS = ["文章来源", "文章來源", "信息来源", "信息來源", "新闻来源", "新聞來源", "来源", "來源", "稿源", "出处", "出處", "转自", "轉自", "转载自", "轉載自"];
const DATE_LABELS = [
  "发布时间", "發布時間", "發佈時間", "发表时间", "發表時間", "发布日期", "發布日期", "發佈日期",
  "更新时间", "更新時間", "上传时间", "上傳時間", "时间", "時間", "日期",
];
// Labels whose values we do not keep, but which end the value before them.
const OTHER_LABELS = [
  "点击数", "點擊數", "点击量", "點擊量", "点击", "點擊", "浏览次数", "瀏覽次數", "浏览量", "瀏覽量", "浏览", "瀏覽",
  "阅读量", "閱讀量", "阅读", "閱讀", "责任编辑", "責任編輯", "编辑", "編輯", "审核", "審核", "摄影", "攝影",
  "字号", "字號", "字体", "字體", "录入", "錄入", "发布人", "發布人", "供稿", "栏目", "欄目", "所属栏目",
];

type Field = "author" | "source" | "date" | "other";
const LABELS: Array<[string, Field]> = [
  ...AUTHOR_LABELS.map((l) => [l, "author"] as [string, Field]),
  ...SOURCE_LABELS.map((l) => [l, "source"] as [string, Field]),
  ...DATE_LABELS.map((l) => [l, "date"] as [string, Field]),
  ...OTHER_LABELS.map((l) => [l, "other"] as [string, Field]),
].sort((a, b) => b[0].length - a[0].length);

const LABEL_FIELD = new Map(LABELS);
const labelAlternation = LABELS.map(([l]) => l).join("|");
// A label is followed by a colon (either width), or — for 文/記者 bylines — a slash.
const LABEL_RE = new RegExp(`(${labelAlternation})\\s*([:：/／])`, "gu");
const SLASH_LABELS = new Set(["文", "记者", "記者"]);

interface LabelHit {
  field: Field;
  start: number;
  valueStart: number;
}

/** Label occurrences in a line, leaving out look-alikes: 原文： is not a byline, and a slash only follows a byline at the start. */
function findLabels(text: string): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const m of text.matchAll(LABEL_RE)) {
    const label = m[1];
    const start = m.index!;
    const slash = m[2] === "/" || m[2] === "／";
    if (slash && !(SLASH_LABELS.has(label) && /^[\s【\[（(]*$/u.test(text.slice(0, start)))) continue;
    if (label === "文" && start > 0 && /\p{Script=Han}/u.test(text[start - 1])) continue;
    hits.push({ field: LABEL_FIELD.get(label)!, start, valueStart: start + m[0].length });
  }
  return hits;
}

/** Values that name nobody: site defaults and CMS user names are not authors. */
const PLACEHOLDER_AUTHORS = new Set([
  "佚名", "本站原创", "本站原創", "本站", "原创", "原創", "admin", "administrator", "管理员", "管理員", "系统管理员",
  "網站管理員", "网站管理员", "匿名", "未知", "不详", "不詳", "无", "無", "编辑部", "編輯部", "本网", "本網", "网站编辑", "網站編輯",
]);

export function isPlaceholderAuthor(name: string): boolean {
  return PLACEHOLDER_AUTHORS.has(name.trim().toLowerCase());
}

/** Full-width digits and letters to ASCII, leaving Chinese punctuation alone. */
function halfWidthAlnum(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const DATE_RE =
  /((?:19|20)\d{2})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?)(?![\d])/u;

/** The first calendar date in a string, as YYYY-MM-DD, or null. Accepts 2018-12-05, 2018/12/05, 2018.12.05, 2018年12月5日, with or without a time, in either width. */
export function parseDate(text: string): string | null {
  const m = DATE_RE.exec(halfWidthAlnum(text));
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2] ?? m[4]);
  const day = Number(m[3] ?? m[5]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Longer than any list of names: the rest of such a value is not read (and patterns over it stay cheap). */
const MAX_AUTHOR_VALUE = 200;

/** Splits an author value that names several people. */
export function splitAuthors(value: string): string[] {
  const cleaned = value
    .slice(0, MAX_AUTHOR_VALUE)
    .replace(/^[\s【\[（(]+|[\s】\]）)]+$/gu, "")
    .replace(/\s*(?:等|报道|報導|報道|撰|\/?摄|\/?攝)$/u, "");
  let parts = cleaned.split(/\s*[、,，;；/／|]\s*|\s+(?:和|与|與|及)\s+/u);
  // Space-separated Chinese names ("张三 李四") are several authors; a space inside a
  // Western name is not.
  parts = parts.flatMap((p) => (/^\p{Script=Han}{2,4}(?:\s+\p{Script=Han}{2,4})+$/u.test(p) ? p.split(/\s+/u) : [p]));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0 && p.length <= 40 && !isPlaceholderAuthor(p));
}

function cleanValue(value: string): string {
  return value
    .replace(/[\s\u00A0\u3000]+/gu, " ")
    .replace(/^[\s|｜:：\-–—]+|[\s|｜\-–—]+$/gu, "")
    .replace(/^[【\[（(]+|[】\]）)]+$/gu, "")
    .trim();
}

export interface LabelledLine extends LineMetadata {
  /** How many labels were recognised. */
  labels: number;
}

/**
 * Reads labelled fields out of one line. Returns null when the line has no
 * label at all. Values run until the next label, so fields written together
 * without separators still come apart.
 */
export function parseLabelledLine(line: string): LabelledLine | null {
  const text = halfWidthAlnum(line);
  const hits = findLabels(text);
  if (hits.length === 0) return null;
  const out: LabelledLine = { authors: [], source: null, date: null, labels: hits.length };
  hits.forEach((hit, i) => {
    const end = i + 1 < hits.length ? hits[i + 1].start : text.length;
    const value = cleanValue(text.slice(hit.valueStart, end));
    if (!value) return;
    if (hit.field === "author" && out.authors.length === 0) out.authors = splitAuthors(value);
    else if (hit.field === "source" && !out.source && !isPlaceholderSource(value)) out.source = value;
    else if (hit.field === "date" && !out.date) out.date = parseDate(value);
  });
  return out;
}

function isPlaceholderSource(value: string): boolean {
  return /^(?:无|無|未知|不详|不詳|-+)$/u.test(value);
}

/**
 * Whether a line is a metadata line (to be dropped from the body): short, and
 * made of labelled fields rather than prose. "时间" inside a sentence is not a
 * label; "时间：2020-01-01" on its own line is.
 */
export function metadataLine(line: string): LabelledLine | null {
  const trimmed = line.trim();
  if (trimmed.length > 160) return null;
  const parsed = parseLabelledLine(trimmed);
  if (!parsed) return null;
  const found = parsed.authors.length > 0 || parsed.source !== null || parsed.date !== null;
  // Prose that happens to contain "时间：" has sentence punctuation before the label.
  const firstLabel = findLabels(halfWidthAlnum(trimmed))[0].start;
  const before = trimmed.slice(0, Math.max(0, firstLabel));
  if (/[。！？!?]/u.test(before) || before.length > 20) return null;
  if (!found && parsed.labels < 2) return null;
  return parsed;
}

const PAREN_SOURCE_RE = /^[（(]\s*(?:文章来源|文章來源|来源|來源|稿源|转自|轉自|转载自|轉載自)\s*[:：]\s*(.+?)\s*[)）]$/u;

/** A source line inside the body, such as （来源：共产党员网）. The line stays in the body; it is read, not removed. */
export function parenthesisedSource(line: string): string | null {
  // A source line is short; the pattern's lazy value would cost quadratic time on a long one.
  if (line.length > 160) return null;
  const m = PAREN_SOURCE_RE.exec(line.trim());
  return m ? cleanValue(m[1]) || null : null;
}

/** A line that is nothing but a date (and maybe a time), common under titles. */
export function dateOnlyLine(line: string): string | null {
  const t = halfWidthAlnum(line.trim());
  if (t.length > 40) return null;
  if (!/^[\s\[【（(]*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号號]?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[\s\]】）)]*$/u.test(t)) return null;
  return parseDate(t);
}
