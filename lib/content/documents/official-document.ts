// Official documents (公文) as GB/T 9704-2012 lays them out: 份号, 密级 and
// 紧急程度 at the top; the 发文机关标志 (the issuer's name, usually ending in
// 文件); the 发文字号 (中组发〔2024〕3号, with 签发人 beside it in reports up);
// the title (关于……的通知, often over two lines); the 主送机关 ending in "：";
// the body; the issuer's signature and 成文日期 (in Arabic or Chinese
// numerals); and the 版记 (抄送, 印发机关和印发日期). Recognised from the
// document's lines, whatever format they came from.

/** 文种 (GB/T 9704 and the 党政机关公文处理工作条例), longest first so that 决议 is not read as 议. */
export const DOC_TYPES = [
  "实施方案", "实施意见", "实施细则", "工作要点", "会议纪要", "工作方案", "管理办法",
  "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
  "方案", "办法", "规定", "细则", "条例", "规则", "要点", "规划", "计划", "总结", "讲话",
] as const;

export interface OfficialFields {
  /** 发文机关 (joint documents: every issuer). */
  issuer: string | null;
  /** 发文字号 in the standard's form: 中组发〔2024〕3号. */
  docNumber: string | null;
  /** 文种 from the title. */
  docType: string | null;
  /** The title, its lines joined. */
  title: string | null;
  /** Index of the title's first line and how many lines it spans. */
  titleAt: number;
  titleLines: number;
  /** 成文日期, YYYY-MM-DD. */
  date: string | null;
  /** 主送机关. */
  recipients: string | null;
  /** 印发机关 and 印发日期 from the 版记. */
  printedBy: string | null;
  printedOn: string | null;
}

const OPEN = "〔\\[［(（【";
const CLOSE = "〕\\]］)）】";
/** 机关代字〔年份〕序号号: the agency's code is Han characters (a few letters at most). */
const DOC_NUMBER = new RegExp(`([\\p{Script=Han}A-Za-z]{1,16}?)\\s*[${OPEN}]\\s*((?:19|20)\\d{2})\\s*[${CLOSE}]\\s*(?:第\\s*)?(\\d{1,5})\\s*号`, "u");

/** The document number in a line, in the standard's form (〔〕, no spaces), or null. */
export function findDocNumber(line: string): string | null {
  const m = DOC_NUMBER.exec(halfWidthDigits(line));
  if (!m) return null;
  const agency = m[1].replace(/^(?:文号|发文字号|发文号)[:：]?/u, "");
  if (!agency) return null;
  return `${agency}〔${m[2]}〕${Number(m[3])}号`;
}

function halfWidthDigits(s: string): string {
  return s.replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, Ｏ: 0, O: 0, o: 0, "○": 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 二十五 → 25, 十二 → 12, 三十一 → 31, 五 → 5; null when not a number of that form. */
function chineseNumber(s: string): number | null {
  if (/^[〇零Ｏ○一二三四五六七八九]$/u.test(s)) return CN_DIGITS[s];
  const m = /^([一二三])?十([一二三四五六七八九])?$/u.exec(s);
  if (!m) return null;
  return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0);
}

const CN_DATE = /([〇零Ｏ○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/u;
const AR_DATE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u;

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** A date written 2024年3月5日 or 二〇二四年三月五日 in a line, as YYYY-MM-DD. */
export function findDocDate(line: string): string | null {
  const text = halfWidthDigits(line);
  const ar = AR_DATE.exec(text);
  if (ar) return isoDate(Number(ar[1]), Number(ar[2]), Number(ar[3]));
  const cn = CN_DATE.exec(text);
  if (!cn) return null;
  const year = Number([...cn[1]].map((c) => CN_DIGITS[c]).join(""));
  const month = chineseNumber(cn[2]);
  const day = chineseNumber(cn[3]);
  return month === null || day === null ? null : isoDate(year, month, day);
}

/** A line that is only a date (a signature's date, a 成文日期). */
function dateOnly(line: string): string | null {
  const bare = line.replace(/\s/gu, "");
  if (bare.length > 14) return null;
  return /^(?:[〇零Ｏ○一二三四五六七八九]{4}|(?:19|20)\d{2})年/u.test(halfWidthDigits(bare)) && /日$/u.test(bare) ? findDocDate(bare) : null;
}

/** The 文种 a title ends with, or null. */
export function docTypeOfTitle(title: string): string | null {
  const bare = title.replace(/[\s》」』"”]+$/u, "");
  for (const t of DOC_TYPES) if (bare.endsWith(t)) return t === "会议纪要" ? "纪要" : t;
  return null;
}

const MARKS = /^(?:\d{6}|[★☆*＊]|(?:绝密|机密|秘密)(?:[★☆*＊]\s*\S{0,8})?|特急|加急|特提|平急)$/u;
/** The 发文机关标志: a short line of Han characters, most often ending in 文件. */
const ISSUER_MARK = /^([\p{Script=Han}（）()·\s]{2,40}?)\s*文\s*件$/u;
const ISSUER_NAME = /^[\p{Script=Han}（）()·]{3,40}$/u;
const SIGNER = /签\s*发\s*人\s*[:：]\s*(\S.*)$/u;
const PRINTED = /^(.{2,40}?)\s+((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$/u;
const COPY_TO = /^抄\s*送\s*[:：]/u;

/** Where a body starts after the title: the 主送机关 line ends with a colon. */
function isRecipients(line: string): boolean {
  return /[:：]$/u.test(line) && line.length <= 120 && !/[。！？]/u.test(line);
}

/**
 * The 公文 fields of a document's lines (null when the lines are not laid out
 * as one: neither a 发文字号 near the top nor a 关于……的<文种> title above a
 * 主送机关 line).
 */
export function officialFields(lines: readonly string[]): OfficialFields | null {
  const head = Math.min(lines.length, 12);
  let at = 0;
  while (at < head && MARKS.test(lines[at].replace(/\s/gu, ""))) at++;
  const issuers: string[] = [];
  let numberLine = -1;
  let docNumber: string | null = null;
  for (let i = at; i < head; i++) {
    const line = lines[i].trim();
    const n = findDocNumber(line);
    if (n && line.replace(SIGNER, "").replace(/\s/gu, "").length <= n.length + 6) {
      numberLine = i;
      docNumber = n;
      break;
    }
    const mark = ISSUER_MARK.exec(line.replace(/\s+/gu, ""));
    if (mark) issuers.push(mark[1]);
    // An issuer's name alone above the number (not a title: those say 关于 or end in a 文种).
    else if (issuers.length === 0 && i - at < 2 && ISSUER_NAME.test(line) && line.length <= 30 && !/关于|關於/u.test(line) && !docTypeOfTitle(line) && i + 1 < head && findDocNumber(lines[i + 1])) issuers.push(line);
    else if (issuers.length === 0 && i - at > 2) break;
  }
  // The title: from after the number (or the issuer mark) down to the 主送机关 line or the first sentence.
  const titleFrom = numberLine >= 0 ? numberLine + 1 : issuers.length ? at + issuers.length : at;
  let titleEnd = titleFrom;
  // A title over several lines ends with its 文种: a line after that (the title again, a second title) is not part of it.
  while (
    titleEnd < lines.length &&
    titleEnd - titleFrom < 4 &&
    !isRecipients(lines[titleEnd]) &&
    !/[。！？；]/u.test(lines[titleEnd]) &&
    lines[titleEnd].length <= 50 &&
    !(titleEnd > titleFrom && docTypeOfTitle(lines.slice(titleFrom, titleEnd).join("")))
  )
    titleEnd++;
  const titleLines = lines.slice(titleFrom, titleEnd);
  const title = titleLines.length ? titleLines.map((l) => l.trim()).join("") : null;
  const docType = title ? docTypeOfTitle(title) : null;
  const recipients = titleEnd < lines.length && isRecipients(lines[titleEnd]) ? lines[titleEnd].trim().replace(/[:：]$/u, "") : null;
  const official = docNumber !== null || (title !== null && docType !== null && /^.{0,40}关于/u.test(title) && recipients !== null);
  if (!official) return null;

  // From the end: the 版记 (抄送, 印发), then the 成文日期 and the signature above it.
  let printedBy: string | null = null;
  let printedOn: string | null = null;
  let end = lines.length;
  for (let i = lines.length - 1; i >= Math.max(titleEnd, lines.length - 6); i--) {
    const p = PRINTED.exec(lines[i].trim());
    if (p) {
      printedBy = p[1].trim();
      printedOn = findDocDate(p[2]);
      end = i;
    } else if (COPY_TO.test(lines[i].trim()) || /^[（(]此件.{0,20}[）)]$/u.test(lines[i].trim())) end = i;
  }
  let date: string | null = null;
  let signature: string | null = null;
  for (let i = end - 1; i >= Math.max(titleEnd, end - 6); i--) {
    const line = lines[i].trim();
    const d = dateOnly(line);
    if (d) {
      date = d;
      const above = lines[i - 1]?.trim();
      if (above && ISSUER_NAME.test(above.replace(/\s+/gu, "")) && above.length <= 40) signature = above.replace(/\s+/gu, "");
      break;
    }
    // A signature and date on one line: 中共某某县委组织部　2024年3月5日.
    const both = /^([\p{Script=Han}（）()·]{3,40})\s+(\S+年\S+月\S+日)$/u.exec(line);
    if (both && findDocDate(both[2])) {
      date = findDocDate(both[2]);
      signature = both[1];
      break;
    }
  }
  const fromTitle = title ? /^(.{3,40}?)关于/u.exec(title)?.[1] ?? null : null;
  const issuer = issuers.length ? issuers.join("、") : signature ?? (fromTitle && ISSUER_NAME.test(fromTitle) ? fromTitle : null) ?? printedBy;
  return {
    issuer,
    docNumber,
    docType,
    title,
    titleAt: titleFrom,
    titleLines: titleLines.length,
    date: date ?? printedOn,
    recipients,
    printedBy,
    printedOn,
  };
}

/** The 公文 fields of an article read from a web page or text (title first, then its paragraphs): the draft with them, or as it was. */
export function withOfficialFields<T extends { title?: string | null; paragraphs: string[]; date?: string | null; source?: string | null }>(
  draft: T,
): T & { docNumber?: string | null; docType?: string | null; issuer?: string | null } {
  const lines = draft.title ? [draft.title, ...draft.paragraphs] : draft.paragraphs;
  const f = officialFields(lines);
  if (!f) return draft;
  // The title the layout gives (after the 文号) is the document's; without one, the page's own title stands.
  const title = f.title ?? draft.title ?? null;
  const paragraphs = f.title ? lines.filter((_, i) => i < f.titleAt || i >= f.titleAt + f.titleLines) : draft.paragraphs;
  return {
    ...draft,
    title,
    paragraphs,
    date: f.date ?? draft.date ?? null,
    source: draft.source ?? f.issuer,
    docNumber: f.docNumber,
    docType: f.docType ?? (title ? docTypeOfTitle(title) : null),
    issuer: f.issuer,
  };
}
