// `.html` pages: a whole scraped page from a Chinese CMS. The article is
// found by content density rather than site-specific selectors: navigation,
// sidebars and link lists are mostly link text, so the container that holds
// most of the page's non-link Chinese text is the article body.
import * as cheerio from "cheerio";
import type { AnyNode, Element } from "domhandler";
import type { ArticleDraft } from "@/lib/content/article";
import { cleanBody } from "@/lib/content/body";
import { tidyLine, toLines } from "@/lib/content/clean";
import { metadataLine, parseDate, splitAuthors, type LineMetadata } from "@/lib/content/metadata";

const JUNK_SELECTOR = [
  "script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas", "template", "form", "select",
  "button", "input", "textarea", "nav", "aside", "footer", "header", "link", "meta",
].join(",");
// Class and id words that mark page furniture on Chinese CMS pages.
const JUNK_NAME = /(?:^|[\s_-])(?:nav|menu|footer|foot|sidebar|side|breadcrumb|crumb|share|comment|copyright|login|search|banner|advert|ads?|related|prev|next|pager|pagination|toolbar|usercontrol|hits|others|tools?|topbar|friendlink|links)(?:$|[\s_-]|\d)/iu;

const BLOCK_TAGS = new Set([
  "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tr",
  "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "figure", "figcaption", "hr",
]);
const PARAGRAPH_TAGS = new Set(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "pre", "blockquote"]);

// Characters that make up article prose: Han, CJK punctuation, letters, digits.
const CONTENT_CHAR = /[\p{Script=Han}\p{L}\p{N}\u3000-\u303F\uFF00-\uFFEF]/gu;

function countContent(text: string): number {
  return text.match(CONTENT_CHAR)?.length ?? 0;
}

/** Non-link content characters under each element, computed bottom-up once. */
function measure(root: AnyNode): Map<Element, number> {
  const sizes = new Map<Element, number>();
  const walk = (node: AnyNode, inLink: boolean): number => {
    if (node.type === "text") return inLink ? 0 : countContent((node as unknown as { data: string }).data);
    if (node.type !== "tag") return 0;
    const el = node as Element;
    const linkHere = inLink || el.name === "a";
    let n = 0;
    for (const child of el.children) n += walk(child, linkHere);
    sizes.set(el, n);
    return n;
  };
  walk(root, false);
  return sizes;
}

function hasBlockInside(el: Element): boolean {
  return el.children.some(
    (c) => c.type === "tag" && (BLOCK_TAGS.has((c as Element).name) || (c as Element).name === "br" || hasBlockInside(c as Element)),
  );
}

/**
 * Walks down from <body> into the child holding nearly all of the remaining
 * content, and stops at the element whose content is spread over several
 * children: the container of the article's paragraphs.
 */
function findContainer(body: Element, sizes: Map<Element, number>): Element {
  let current = body;
  for (;;) {
    const total = sizes.get(current) ?? 0;
    let best: Element | null = null;
    let bestSize = 0;
    for (const child of current.children) {
      if (child.type !== "tag") continue;
      const size = sizes.get(child as Element) ?? 0;
      if (size > bestSize) {
        best = child as Element;
        bestSize = size;
      }
    }
    if (!best || total === 0 || bestSize < total * 0.85) return current;
    if (PARAGRAPH_TAGS.has(best.name) && !hasBlockInside(best)) return current;
    if (!hasBlockInside(best)) return current;
    current = best;
  }
}

/** Text of an element with block boundaries and <br> as line breaks (iterative: it also reads over-deep subtrees). */
function blockText(el: Element): string {
  const out: string[] = [];
  // Nodes to visit, and strings to emit once a block's children are done.
  const stack: Array<AnyNode | string> = [el];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    if (item.type === "text") {
      // A whitespace run holding a line break is one space. (\s+ takes each run whole: linear, where a pattern
      // like [ \t]*[\r\n]+ backtracks over every long run of spaces without a break, quadratically.)
      out.push((item as unknown as { data: string }).data.replace(/\s+/gu, (run) => (/[\r\n]/u.test(run) ? " " : run)));
      continue;
    }
    if (item.type !== "tag") continue;
    const tag = (item as Element).name;
    if (tag === "br") {
      out.push("\n");
      continue;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) {
      out.push("\n");
      stack.push("\n");
    } else if (tag === "td" || tag === "th") stack.push(" ");
    const children = (item as Element).children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out.join("");
}

function stripSiteSuffix(pageTitle: string): string {
  // "文章标题--栏目-站点" / "文章标题_站点" / "文章标题 - 站点"
  const parts = pageTitle.split(/\s*(?:--|——|\s[-|｜_]\s|_)\s*/u).filter(Boolean);
  return parts[0] ?? pageTitle;
}

function findTitle($: cheerio.CheerioAPI, container: Element): string | null {
  const pageTitle = tidyLine($("title").first().text());
  const ogTitle = tidyLine($('meta[property="og:title"]').attr("content") ?? "");
  const headings = $("h1, h2, h3, .title, .tit, .article-title, .articleTitle, #title")
    .toArray()
    .map((el) => tidyLine($(el).text()))
    .filter((t) => t.length >= 2 && t.length <= 150);
  // A heading that the <title> starts with is the article title without the site suffix.
  const inPageTitle = headings.filter((h) => pageTitle.startsWith(h) || (ogTitle && ogTitle === h));
  if (inPageTitle.length) return inPageTitle.sort((a, b) => b.length - a.length)[0];
  if (ogTitle) return ogTitle;
  // A heading just before the article body.
  const before = $(container).prevAll("h1, h2, h3").first().text() || $(container).find("h1, h2").first().text();
  if (tidyLine(before)) return tidyLine(before);
  if (pageTitle) return stripSiteSuffix(pageTitle);
  return headings[0] ?? null;
}

function metaContent($: cheerio.CheerioAPI, names: string[]): string | null {
  for (const name of names) {
    const v = $(`meta[name="${name}" i], meta[property="${name}" i]`).attr("content");
    if (v && v.trim()) return v.trim();
  }
  return null;
}

/** Metadata from <meta> tags and from short labelled elements outside the body (e.g. <div class="property">). */
function findMetadata($: cheerio.CheerioAPI): LineMetadata {
  const found: LineMetadata = { authors: [], source: null, date: null };
  const candidates = $("body *")
    .toArray()
    .filter((el) => {
      const text = $(el).text();
      return text.length < 300 && /(?:作者|来源|來源|时间|時間|日期|记者|記者)\s*[:：]/u.test(text);
    });
  for (const el of candidates) {
    const meta = metadataLine(tidyLine(blockText(el).replace(/\n+/gu, " ")));
    if (!meta) continue;
    if (found.authors.length === 0) found.authors = meta.authors;
    if (!found.source) found.source = meta.source;
    if (!found.date) found.date = meta.date;
  }
  const author = metaContent($, ["author", "article:author", "byline"]);
  if (found.authors.length === 0 && author) found.authors = splitAuthors(author);
  const source = metaContent($, ["source", "og:site_name"]);
  if (!found.source && source && $('meta[name="source" i]').length) found.source = source;
  const date = metaContent($, ["article:published_time", "publishdate", "pubdate", "date", "dc.date"]);
  if (!found.date && date) found.date = parseDate(date);
  return found;
}

/** Deeper than any real page nests: below this, a subtree is flattened into its text. */
const MAX_DEPTH = 200;

/**
 * Flattens every subtree that starts deeper than MAX_DEPTH into its text
 * (block boundaries kept as <br>), walking iteratively. A hostile or broken
 * page with tags nested 10,000 deep would otherwise overflow the stack of
 * every recursive walk (ours, and cheerio's .text()) and cost depth² time;
 * what it says is kept.
 */
function flattenDeep($: cheerio.CheerioAPI): void {
  const stack: Array<[AnyNode, number]> = [[$.root().get(0) as unknown as AnyNode, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node.type !== "tag" && node.type !== "root") continue;
    const el = node as Element;
    if (depth >= MAX_DEPTH) {
      const lines = blockText(el).split("\n").map((l) => l.trim()).filter(Boolean);
      $(el).html(lines.map((l) => escapeHtml(l)).join("<br>"));
      continue;
    }
    for (const child of el.children) stack.push([child, depth + 1]);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");
}

const VOID_TAGS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen"]);

const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/gu;
/** Deeper than any real page nests; parse5's time grows with the square of the depth (40,000 levels: 10 s). */
const MAX_PARSE_DEPTH = 1000;

/** The deepest tag nesting in the markup, estimated in one linear pass. */
function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(TAG)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID_TAGS.has(m[2].toLowerCase())) max = Math.max(max, ++depth);
  }
  return max;
}

/**
 * Drops the tags nested deeper than `limit` (their text stays, separated by
 * spaces), in one linear pass: hostile or broken markup with a million open
 * tags costs what its length costs, not hours of parsing.
 */
function capNesting(html: string, limit: number): string {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  // A dropped tag leaves one space between texts, not one per tag.
  let spaced = true;
  const text = (t: string) => {
    if (t) {
      out.push(t);
      spaced = false;
    }
  };
  const drop = () => {
    if (!spaced) out.push(" ");
    spaced = true;
  };
  for (const m of html.matchAll(TAG)) {
    text(html.slice(last, m.index));
    last = m.index! + m[0].length;
    let keep: boolean;
    if (m[1]) {
      keep = depth <= limit;
      depth = Math.max(0, depth - 1);
    } else if (m[3] || VOID_TAGS.has(m[2].toLowerCase())) keep = depth < limit;
    else keep = ++depth <= limit;
    if (keep) text(m[0]);
    else drop();
  }
  text(html.slice(last));
  return out.join("");
}

function parsePage(html: string): cheerio.CheerioAPI {
  return cheerio.load(nestingDepth(html) > MAX_PARSE_DEPTH ? capNesting(html, MAX_PARSE_DEPTH) : html);
}

export function readHtml(html: string): ArticleDraft {
  const $ = parsePage(html);
  flattenDeep($);
  $("*")
    .contents()
    .filter((_i, node) => node.type === "comment")
    .remove();
  const meta = findMetadata($);
  const url = $('link[rel="canonical"]').attr("href") ?? metaContent($, ["og:url"]);
  // Short link texts (menus, section links) that reappear as headings above the article.
  const furniture = new Set(
    $("a")
      .toArray()
      .map((a) => tidyLine($(a).text()))
      .filter((t) => t.length > 0 && t.length <= 12),
  );
  $(JUNK_SELECTOR).remove();
  $("[class], [id]")
    .filter((_i, el) => JUNK_NAME.test(`${$(el).attr("class") ?? ""} ${$(el).attr("id") ?? ""}`))
    .filter((_i, el) => !/content|article|正文/iu.test(`${$(el).attr("class") ?? ""} ${$(el).attr("id") ?? ""}`))
    .remove();
  const body = $("body").get(0) ?? ($.root().get(0) as unknown as Element);
  const sizes = measure(body);
  const container = findContainer(body, sizes);
  const title = findTitle($, container);
  const cleaned = cleanBody(toLines(blockText(container)), title, furniture);
  return {
    title,
    authors: meta.authors.length ? meta.authors : cleaned.found.authors,
    source: meta.source ?? cleaned.found.source,
    date: meta.date ?? cleaned.found.date,
    url,
    paragraphs: cleaned.paragraphs,
    warnings: cleaned.spamLines ? [`dropped ${cleaned.spamLines} spam line(s)`] : [],
  };
}
