// Generated hostile queries and parameter sets (fast-check), for the query
// fuzzers of the server tests and of npm run test:stress.
import fc from "fast-check";

// Pieces hostile queries are made of: operators and quotes of the query
// language, regex and URL metacharacters, invisible and direction marks,
// control characters, emoji, both scripts.
const NASTY = [
  '"', "“", "」", "「", "-", "－", "|", "｜", "OR", " ", "\u3000", "\t", "\n", "\r", "\u0000", "\u0007", "\u001b", "\u007f",
  ".*", "(?:", "[^", "\\", "$", "^", "+", "?", "{", "}", "(", ")", "[", "]", "%", "&", "=", "#", "/", "..", "<script>", "</p>", "&amp;", "'",
  "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\ufffd", "\ud800", "\udc00", "😀", "👨‍👩‍👧", "🇨🇳",
  "党建", "黨建", "工作", "创新", "學習", "ＡＩ", "２０１９", "的", "了", "，", "。", "！",
  // The workbench's syntax: fields, proximity, half-written operators.
  "标题:", "title:", "正文：", "作者:", "来源:", "文号:", "-标题:", "NEAR/", "NEAR/3", "NEAR/s", "NEAR/p", "NEAR/999999", "NEAR/-1", "near/2",
];
export const queryText = fc.oneof(
  fc.array(fc.constantFrom(...NASTY), { maxLength: 40 }).map((xs) => xs.join("")),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.constantFrom('"'.repeat(300), " ".repeat(300), "，".repeat(200), "党".repeat(256), "党".repeat(257), "a | ".repeat(20), "-".repeat(50)),
);
// Raw escapes, well-formed or not (%E4%B8 is half a character, %C0%AF an overlong slash, %FF never UTF-8).
const rawEscape = fc.constantFrom("%E4%B8", "%FF", "%C0%AF", "%00", "%", "%%", "%G1", "%E4%B8%AD%E5", "%F0%9F%98", "%ED%A0%80");
/** Percent-encodes like a browser, except that a lone surrogate is sent as its WTF-8 bytes (invalid UTF-8 on the wire). */
const encode = (s: string) =>
  s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/gu, (c) => {
    if (c.length === 2 || c.charCodeAt(0) < 0xd800 || c.charCodeAt(0) > 0xdfff) return encodeURIComponent(c);
    const u = c.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
  });
const param = (name: string, value: fc.Arbitrary<string>) => fc.tuple(fc.constant(name), value).map(([k, v]) => `${k}=${v}`);
export const paramSet = fc
  .tuple(
    fc.option(fc.oneof(queryText.map(encode), rawEscape, fc.tuple(queryText, rawEscape).map(([q, r]) => encode(q) + r)), { nil: undefined }),
    fc.array(
      fc.oneof(
        param("author", fc.oneof(queryText.map(encode), rawEscape, fc.constantFrom("陈志明", "陳志明", ",", "，"))),
        param("source", fc.oneof(queryText.map(encode), rawEscape, fc.constantFrom("机关党建通讯", "x".repeat(101)))),
        param("from", fc.constantFrom("2019", "2019-02", "2019-02-30", "2019/13", "0000", "99999", "2020-1-1", "", "%FF", "yesterday")),
        param("to", fc.constantFrom("2021", "2021-12-31", "1900", "2019-02-29", "", "abc")),
        param("sort", fc.constantFrom("relevance", "newest", "oldest", "best", "", "NEWEST")),
        param("page", fc.oneof(fc.integer({ min: -5, max: 20_000 }).map(String), fc.constantFrom("1e3", "0x10", "", "1.5", "9".repeat(30)))),
        param("size", fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.constantFrom("", "NaN", "10abc"))),
        param("q", queryText.map(encode)),
        fc.constantFrom("&", "==", "q", "%", "author", "=x"),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([q, rest]) => [...(q === undefined ? [] : [`q=${q}`]), ...rest].join("&"));

