// Line-level cleaning shared by every format: what counts as junk (scraped
// boilerplate, SEO spam) and how a kept line is tidied. Pure functions over
// strings, so each rule is testable on its own.
import { decodeHTML } from "entities";
import { detectScript } from "@/lib/text/script";
import type { Script } from "@/lib/content/article";

/**
 * Tidies one line without changing its meaning: canonical composition (NFC,
 * always safe), full-width ASCII letters and digits to half-width, non-breaking
 * and zero-width characters out, ends trimmed. Runs of spaces inside a line are
 * kept: titles use them as separators ("主题  ——记…"). Full NFKC is not applied
 * to stored text because it would turn Chinese punctuation (，：) into ASCII;
 * search normalisation applies it separately.
 */
export function tidyLine(line: string): string {
  return line
    .normalize("NFC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/gu, "")
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u00A0\t\f\v]/gu, " ")
    // trim() strips exactly \s (U+3000 included), in linear time: /[\s]+$/ retries from every position of a
    // long run of spaces, which makes a line of a million spaces take minutes.
    .trim();
}

/** Removes leftover HTML tags and comments from scraped text and decodes entities. */
export function stripTags(text: string): string {
  return decodeHTML(
    text
      .replace(/<!--[\s\S]*?-->/gu, "")
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/giu, "")
      .replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr)\s*>/giu, "\n")
      .replace(/<\/?[a-zA-Z][^<>]*>/gu, ""),
  );
}

/** Splits text into tidied, non-empty lines. */
export function toLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map(tidyLine)
    .filter((l) => l.length > 0);
}

const HAN = /\p{Script=Han}/u;

/** A line with no letter or digit of any script: numbering debris, separators, stray punctuation. */
export function isDebris(line: string): boolean {
  return !/[\p{L}\p{N}]/u.test(line) || /^\d{1,3}[.、)]?$/u.test(line);
}

// Words that make up the keyword lists appended by link farms: adult video,
// gambling and lottery sites, in both scripts.
const SPAM_WORDS = [
  "视频", "視頻", "在线", "在線", "观看", "觀看", "播放", "导航", "導航", "无码", "無碼", "有码", "有碼", "成人", "色情",
  "欧美", "歐美", "日韩", "日韓", "亚洲", "亞洲", "国产", "國產", "精品", "午夜", "高清", "av", "无毒", "無毒", "不卡",
  "免费", "免費", "彩票", "博彩", "娱乐城", "娛樂城", "棋牌", "赌场", "賭場", "百家乐", "百家樂", "时时彩", "時時彩",
  "六合彩", "老虎机", "老虎機", "投注", "下注", "网址", "網址", "最新网站", "最新網站", "福利", "偷拍", "自拍", "伦理", "倫理",
  "一本道", "黄色", "黃色", "约炮", "約炮", "私服", "外挂", "外掛",
];

/**
 * Whether a line is SEO spam: a keyword list (items separated by commas, 、 or
 * pipes, no sentence in it) built from link-farm vocabulary. A list in a
 * different script from the article needs less evidence. Real lists in
 * articles (学习、宣传、贯彻) have no such vocabulary and stay.
 */
export function isSpamLine(line: string, articleScript?: Script): boolean {
  const items = line.split(/\s*[,，、|｜;；]\s*|\s{2,}/u).filter((s) => s.length > 0);
  if (items.length < 3) return false;
  if (/[。！？!?]/u.test(line)) return false;
  const meanItem = items.reduce((n, s) => n + s.length, 0) / items.length;
  if (meanItem > 16) return false;
  const lower = line.toLowerCase();
  const hits = SPAM_WORDS.filter((w) => lower.includes(w)).length;
  if (hits >= 3) return true;
  if (hits >= 1 && articleScript && articleScript !== "mixed") {
    const lineScript = detectScript(line);
    if (lineScript !== articleScript && lineScript !== "mixed" && HAN.test(line)) return true;
  }
  return false;
}

// Page furniture that scrapers leave behind: print/close links, counters,
// prev/next links, share bars, copyright and ICP footers.
const BOILERPLATE_RES: RegExp[] = [
  /^[【\[]?\s*(?:打印(?:正文|本页|本頁|此文)?|列印|关闭(?:窗口|本页)?|關閉(?:視窗|本頁)?|返回(?:顶部|頂部|首页|首頁|列表)?|收藏(?:本页|此文)?|字[号號体體]?\s*[:：]?\s*[大中小\s]+)\s*[】\]]?$/u,
  /^(?:上一篇|下一篇|上一條|下一條|上一条|下一条|相关文章|相關文章|相关阅读|相關閱讀|推荐阅读|推薦閱讀)\s*[:：]/u,
  /^(?:点击数|點擊數|点击量|點擊量|浏览次数|瀏覽次數|阅读次数|閱讀次數|阅读量|閱讀量)\s*[:：]?\s*\d*\s*次?$/u,
  /^分享到\s*[:：]?/u,
  /(?:版权所有|版權所有|copyright\s*(?:©|\(c\))|all rights reserved)/iu,
  /(?:icp备|icp備|icp证|icp證|公网安备|公網安備)\s*\d*/iu,
  /^[（(]?\s*(?:责任编辑|責任編輯|编辑|編輯|审核|審核|校对|校對)\s*[:：][^。！？]{0,30}[)）]?$/u,
  /^(?:扫一扫|掃一掃|扫描二维码|掃描二維碼)/u,
  /^(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|所在位置)\s*[:：]/u,
  /【?进入后台编辑】?|【?進入後台編輯】?/u,
];

export function isBoilerplate(line: string): boolean {
  if (BOILERPLATE_RES.some((re) => re.test(line))) return true;
  // A row of tool links: 【打印本页】 【关闭窗口】
  const parts = line.split(/\s+/u);
  return parts.length > 1 && parts.every((p) => BOILERPLATE_RES[0].test(p));
}
