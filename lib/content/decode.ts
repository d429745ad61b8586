// Bytes → text for scraped pages of unknown encoding. Chinese pages still come
// as GBK/GB18030 or Big5 often enough that guessing wrong (mojibake) would
// poison the index, so the order is: BOM, a declared charset, strict UTF-8,
// then a content-based choice between GB18030 and Big5.

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "big5";

export interface Decoded {
  text: string;
  encoding: Encoding;
  /** How the encoding was chosen: "bom", "declared", "valid-utf8" or "guessed". */
  how: "bom" | "declared" | "valid-utf8" | "guessed";
}

const CHARSET_ALIASES: Record<string, Encoding> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  gbk: "gb18030",
  gb2312: "gb18030",
  gb18030: "gb18030",
  "x-gbk": "gb18030",
  cp936: "gb18030",
  "euc-cn": "gb18030",
  big5: "big5",
  "big5-hkscs": "big5",
  "x-x-big5": "big5",
  cp950: "big5",
};

/** A charset declared in `<meta charset>`, `http-equiv` content, or an XML prolog, read from the ASCII head of the file. */
function declaredCharset(bytes: Uint8Array): Encoding | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head) ?? /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head);
  if (!m) return null;
  return CHARSET_ALIASES[m[1].toLowerCase()] ?? null;
}

function tryDecode(bytes: Uint8Array, encoding: Encoding, fatal: boolean): string | null {
  try {
    return new TextDecoder(encoding, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

// Characters common in Chinese prose; a right guess is full of them.
const COMMON_SIMPLIFIED = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车给院";
const COMMON_TRADITIONAL = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處理世車給院";
const COMMON = new Set([...COMMON_SIMPLIFIED, ...COMMON_TRADITIONAL]);

function plausibility(text: string): number {
  let good = 0;
  let bad = 0;
  for (const ch of text) {
    if (ch === "\uFFFD") bad += 5;
    else if (COMMON.has(ch)) good++;
    else {
      const cp = ch.codePointAt(0)!;
      // Private-use and rare compatibility areas are where wrong guesses land.
      if ((cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0x3400 && cp <= 0x4dbf)) bad++;
    }
  }
  return good - bad;
}

/** The encoding a charset name stands for (gbk, GB2312, big5, utf-8 …), or null for one we do not read. */
export function encodingOf(charset: string): Encoding | null {
  return CHARSET_ALIASES[charset.trim().toLowerCase()] ?? null;
}

/** Text of the bytes; `httpCharset` (a fetched page's Content-Type charset) counts as a declaration when the page has none of its own. */
export function decodeBytes(bytes: Uint8Array, httpCharset?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8", how: "bom" };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le", how: "bom" };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be", how: "bom" };
  }
  const utf8 = tryDecode(bytes, "utf-8", true);
  const declared = declaredCharset(bytes) ?? (httpCharset ? encodingOf(httpCharset) : null);
  // A declaration is trusted unless the bytes contradict it: pages re-saved as
  // UTF-8 often keep their old `charset=gb2312` meta tag.
  if (declared && declared !== "utf-8" && utf8 === null) {
    const text = tryDecode(bytes, declared, true);
    if (text !== null) return { text, encoding: declared, how: "declared" };
  }
  if (utf8 !== null) return { text: utf8, encoding: "utf-8", how: declared === "utf-8" ? "declared" : "valid-utf8" };
  const gb = tryDecode(bytes, "gb18030", false) ?? "";
  const big5 = tryDecode(bytes, "big5", false) ?? "";
  return plausibility(big5) > plausibility(gb)
    ? { text: big5, encoding: "big5", how: "guessed" }
    : { text: gb, encoding: "gb18030", how: "guessed" };
}
