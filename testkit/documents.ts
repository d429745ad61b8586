// Document fixtures made in the tests (never copied from real texts): Word
// files written with the `docx` library, PDFs printed by Chromium from HTML,
// scans made by rendering text to an image and printing that image into an
// image-only PDF, and 公文 laid out per GB/T 9704. The texts are the team's
// own, in Simplified and Traditional.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "@playwright/test";
import { deflateRawSync } from "node:zlib";
import CFB from "cfb";
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";

export interface FixtureText {
  title: string;
  paragraphs: string[];
}

export const SIMPLIFIED: FixtureText = {
  title: "关于开展支部主题党日活动的情况报告",
  paragraphs: [
    "本季度，第三党支部围绕学习贯彻党的创新理论，组织开展了三次主题党日活动，参加党员共计八十六人次。",
    "第一次活动以重温入党誓词为主题，支部书记领读誓词，老党员结合自身经历讲述入党初心，青年党员谈了学习体会。",
    "第二次活动走进社区，党员志愿者分成四个小组，为居民提供政策咨询、义务理发和家电维修等服务，收到群众好评。",
    "第三次活动开展专题研讨，围绕如何把基层组织建设成为坚强战斗堡垒，大家畅所欲言，提出改进工作的建议十二条。",
    "下一步，支部将建立问题清单和责任清单，逐项抓好整改落实，推动组织生活制度化、规范化、常态化。",
  ],
};

export const TRADITIONAL: FixtureText = {
  title: "關於加強黨員教育管理工作的實施意見",
  paragraphs: [
    "為進一步提升黨員隊伍整體素質，結合本單位實際，現就加強黨員教育管理工作提出如下實施意見。",
    "各黨支部要堅持每月開展一次集中學習，認真組織黨員學習黨章黨規，做到學有計劃、學有記錄、學有成效。",
    "要健全黨員聯繫群眾制度，每名黨員每年至少聯繫三戶群眾，及時了解群眾訴求，幫助解決實際困難。",
    "要嚴格落實組織生活會和民主評議黨員制度，認真開展批評與自我批評，增強黨內政治生活的原則性和戰鬥性。",
  ],
};

/** Chromium for printing fixtures: Debian's where it is (these machines cannot download Playwright's), else Playwright's own. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p): p is string => !!p && existsSync(p));
  return chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ["--no-sandbox", "--disable-gpu"] });
}

const escape = (s: string) => s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;");

/** An article as a printable HTML page: the title as a heading, paragraphs with a two-character indent. */
export function articleHtml(text: FixtureText, options: { font?: string; size?: number } = {}): string {
  const font = options.font ?? "Noto Serif CJK SC";
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font-family: "${font}", serif; font-size: ${options.size ?? 16}pt; line-height: 1.6; margin: 0 }
    h1 { font-size: 1.4em; text-align: center; margin: 0 0 1em }
    p { text-indent: 2em; margin: 0 0 0.3em; text-align: justify }
  </style></head><body><h1>${escape(text.title)}</h1>${text.paragraphs.map((p) => `<p>${escape(p)}</p>`).join("")}</body></html>`;
}

/** A PDF with a text layer, printed by Chromium from HTML (A4, with a running header and page numbers when asked). */
export async function printPdf(browser: Browser, html: string, options: { header?: string; pageNumbers?: boolean } = {}): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: "load" });
    const furniture = !!(options.header || options.pageNumbers);
    return await page.pdf({
      format: "A4",
      margin: { top: "2.5cm", bottom: "2.5cm", left: "2.6cm", right: "2.6cm" },
      displayHeaderFooter: furniture,
      headerTemplate: options.header ? `<div style="font-size:9pt;width:100%;text-align:center;font-family:'Noto Sans CJK SC'">${escape(options.header)}</div>` : "<span></span>",
      footerTemplate: options.pageNumbers ? `<div style="font-size:10pt;width:100%;text-align:center">— <span class="pageNumber"></span> —</div>` : "<span></span>",
    });
  } finally {
    await page.close();
  }
}

/** A scan: the text rendered by Chromium as a PNG (or a JPEG, as a phone saves a photo), like a page photographed flat (2× device pixels). */
export async function renderScan(browser: Browser, html: string, width = 900, type: "png" | "jpeg" = "png"): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width, height: 600 }, deviceScaleFactor: 2 });
  try {
    await page.setContent(html.replace("margin: 0 }", "margin: 40px; background: #fff; color: #000 }"), { waitUntil: "load" });
    return await page.screenshot({ fullPage: true, type, ...(type === "jpeg" ? { quality: 85 } : {}) });
  } finally {
    await page.close();
  }
}

/** A scanner's TIFF: page `page` of a PDF rendered by poppler's pdftoppm (greyscale, 200 dpi). */
export async function scanTiff(pdf: Buffer, page = 1): Promise<Buffer> {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "scan-tiff-"));
  try {
    writeFileSync(join(dir, "in.pdf"), pdf);
    execFileSync("pdftoppm", ["-tiff", "-gray", "-r", "200", "-f", String(page), "-l", String(page), "-singlefile", join(dir, "in.pdf"), join(dir, "page")]);
    return readFileSync(join(dir, "page.tif"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An image-only PDF (no text layer): each image printed on a page of its own. */
export async function imagePdf(browser: Browser, images: Buffer[]): Promise<Buffer> {
  const body = images.map((png) => `<div style="page-break-after:always"><img style="width:100%" src="data:image/png;base64,${png.toString("base64")}"></div>`).join("");
  return printPdf(browser, `<!doctype html><html><body style="margin:0">${body}</body></html>`);
}

/** A .docx written with the `docx` library: a Title, paragraphs, an optional table and list, and core properties. */
export async function makeDocx(text: FixtureText, options: { creator?: string; coreTitle?: string; table?: string[][]; heading?: boolean } = {}): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  if (options.heading !== false) children.push(new Paragraph({ text: text.title, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER }));
  for (const p of text.paragraphs) children.push(new Paragraph({ children: [new TextRun(p)], indent: { firstLine: 640 } }));
  if (options.table) {
    children.push(
      new Table({
        rows: options.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })),
      }),
    );
  }
  const doc = new Document({ creator: options.creator ?? "", title: options.coreTitle ?? "", sections: [{ children }] });
  return Packer.toBuffer(doc);
}

/**
 * Character F1 of extracted text against its source, whitespace aside: the
 * longest common subsequence of characters (so order counts, not only which
 * characters) over the extracted length (precision) and the source's (recall).
 */
export function characterF1(source: string, extracted: string): number {
  const a = [...source.replace(/\s/gu, "")];
  const b = [...extracted.replace(/\s/gu, "")];
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    [prev, row] = [row, prev];
  }
  const lcs = prev[b.length];
  const precision = lcs / b.length;
  const recall = lcs / a.length;
  return lcs === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** One generated 公文 and the fields it was made with. */
export interface OfficialFixture {
  lines: string[];
  expected: { issuer: string; docNumber: string; docType: string; title: string; date: string };
}

const ISSUERS: Array<[string, string]> = [
  ["中共某某县委组织部", "某组发"],
  ["某某市人民政府办公室", "某政办发"],
  ["中共某某区委宣传部", "某宣发"],
  ["某某县财政局", "某财预"],
  ["共青团某某市委员会", "某团发"],
  ["中共某某镇委员会", "某镇委发"],
  ["某某大学党委", "某大党字"],
];
const SUBJECTS = ["开展主题党日活动", "加强基层党组织建设", "做好年度党员发展工作", "召开专题民主生活会", "规范党费收缴使用管理", "推进党务公开工作"];
const TYPES = ["通知", "意见", "决定", "报告", "请示", "批复", "函", "纪要", "方案", "办法", "通报"];
const BRACKETS: Array<[string, string]> = [["〔", "〕"], ["[", "]"], ["［", "］"], ["(", ")"], ["（", "）"], ["【", "】"]];
const CN = "〇一二三四五六七八九";

function chineseYear(y: number): string {
  return [...String(y)].map((d) => CN[Number(d)]).join("");
}
function chineseSmall(n: number): string {
  if (n < 10) return CN[n];
  if (n === 10) return "十";
  if (n < 20) return `十${CN[n % 10]}`;
  return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ""}`;
}

/** A seeded generator (mulberry32): the same variants every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` 公文 laid out as GB/T 9704 has it, varied: marks, bracket styles, signer, titles over two lines, dates in both numeral systems, 版记. */
export function officialFixtures(count: number, seed = 9704): OfficialFixture[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const out: OfficialFixture[] = [];
  for (let k = 0; k < count; k++) {
    const [issuer, code] = pick(ISSUERS);
    const [open, close] = pick(BRACKETS);
    const year = 2015 + Math.floor(r() * 11);
    const n = 1 + Math.floor(r() * 120);
    const type = pick(TYPES);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const title = `${r() < 0.5 ? issuer : ""}关于${pick(SUBJECTS)}的${type}`;
    const lines: string[] = [];
    if (r() < 0.3) lines.push(String(100000 + Math.floor(r() * 899999)).padStart(6, "0"));
    if (r() < 0.2) lines.push(pick(["机密★1年", "秘密", "特急", "加急"]));
    lines.push(r() < 0.7 ? `${issuer}文件` : issuer);
    const number = `${code}${open}${year}${close}${n}号`;
    lines.push(r() < 0.25 ? `${number}　　签发人：张建国` : number);
    if (title.length > 22 && r() < 0.6) {
      const cut = title.indexOf("关于") + 2 + Math.floor(r() * 4);
      lines.push(title.slice(0, cut), title.slice(cut));
    } else lines.push(title);
    lines.push(pick(["各乡镇党委，县直各单位党组（党委）：", "各党支部：", "市委组织部：", "各学院党委，机关各部门："]));
    lines.push("为深入贯彻落实上级有关部署要求，结合工作实际，现将有关事项通知如下。");
    lines.push("一、提高思想认识。各单位要把这项工作摆上重要议事日程，主要负责同志亲自抓、负总责。");
    lines.push("二、抓好组织实施。要制定具体工作方案，明确时间节点和责任分工，确保各项任务落到实处。");
    if (r() < 0.4) lines.push("附件：1.工作安排表");
    lines.push(issuer);
    const dateText = r() < 0.5 ? `${year}年${month}月${day}日` : `${chineseYear(year)}年${chineseSmall(month)}月${chineseSmall(day)}日`;
    lines.push(dateText);
    if (r() < 0.5) lines.push("（此件公开发布）");
    if (r() < 0.6) lines.push("抄送：市委组织部，县纪委监委。", `${issuer}办公室　　${year}年${month}月${Math.min(28, day + 1)}日印发`);
    out.push({
      lines,
      expected: { issuer, docNumber: `${code}〔${year}〕${n}号`, docType: type, title, date: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` },
    });
  }
  return out;
}

/** A 公文 as an HTML page laid out per GB/T 9704 (red issuer mark, centred number, title in 小标宋-like bold, body in 仿宋-like serif), for printing. */
export function officialHtml(f: OfficialFixture): string {
  const markAt = f.lines.findIndex((l) => l.startsWith(f.expected.issuer) && (l.endsWith("文件") || l === f.expected.issuer));
  const body = f.lines
    .map((line, i) => {
      if (i === markAt) return `<div style="color:#c00;font-size:30pt;text-align:center;letter-spacing:2pt;margin:1cm 0 0.5cm">${escape(line)}</div>`;
      if (i === markAt + 1) return `<div style="text-align:center;margin-bottom:0.3cm">${escape(line)}</div><hr style="border:0;border-top:2px solid #c00">`;
      if (i < markAt) return `<div>${escape(line)}</div>`;
      if (/[：:]$/u.test(line) || /^附件/u.test(line) || /^抄送/u.test(line) || /印发$/u.test(line)) return `<p style="text-indent:0">${escape(line)}</p>`;
      if (line === f.expected.issuer || /日$/u.test(line)) return `<p style="text-align:right;text-indent:0;margin-right:2em">${escape(line)}</p>`;
      if (i > markAt + 1 && i <= markAt + 3 && !/。/u.test(line) && !/[：:]$/u.test(line)) return `<h1 style="font-size:22pt;text-align:center;margin:0.2cm 0">${escape(line)}</h1>`;
      return `<p>${escape(line)}</p>`;
    })
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC",serif;font-size:16pt;line-height:1.75;margin:0}p{text-indent:2em;margin:0}</style></head><body>${body}</body></html>`;
}

/**
 * A minimal PDF written by hand: one page per entry, each with its text (ASCII,
 * Helvetica) or, for "", no text at all (what a scanned page looks like to a
 * text extractor). For page-count and damage tests, where printing would be slow.
 */
export function simplePdf(pages: string[], options: { encrypted?: boolean } = {}): Buffer {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  pages.forEach((text, i) => {
    const stream = text ? `BT /F1 14 Tf 72 720 Td (${text.replace(/[()\\]/gu, "\\$&")}) Tj ET` : "";
    objects[pageIds[i]] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i] + 1} 0 R >>`;
    objects[pageIds[i] + 1] = `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`;
  });
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, "latin1");
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  // Encrypted with the standard handler and a user password (the O and U entries of a password nobody knows):
  // a reader must ask for it before anything of the file can be read.
  const encrypt = options.encrypted
    ? ` /Encrypt << /Filter /Standard /V 1 /R 2 /O <${"a5".repeat(32)}> /U <${"5a".repeat(32)}> /P -44 >> /ID [<${"01".repeat(16)}> <${"01".repeat(16)}>]`
    : "";
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/**
 * A Word 97–2003 binary file (what .doc is, and what WPS Office saves as .wps):
 * a compound file (written with the `cfb` library) holding a WordDocument
 * stream — the file information block and the text as UTF-16 — and a 1Table
 * stream with the piece table that says where the text is. The title and
 * paragraphs end with Word's paragraph mark; table cells are separated by a
 * tab (as Word's cell marks read back).
 */
export function makeWord97(text: FixtureText, table?: string[][]): Buffer {
  const paragraphs = [text.title, ...text.paragraphs, ...(table ?? []).map((row) => row.join("\t"))];
  const chars = `${paragraphs.join("\r")}\r`;
  const TEXT_AT = 0x400;
  const body = Buffer.from(chars, "utf16le");
  const doc = Buffer.alloc(TEXT_AT + body.length);
  doc.writeUInt16LE(0xa5ec, 0x0000); // wIdent: Word
  doc.writeUInt16LE(0x00c1, 0x0002); // nFib: Word 97
  doc.writeUInt16LE(0x0200, 0x000a); // fWhichTblStm: the table stream is 1Table
  doc.writeUInt32LE(TEXT_AT, 0x0018); // fcMin
  doc.writeUInt32LE(TEXT_AT + body.length, 0x001c); // fcMac
  doc.writeUInt32LE(chars.length, 0x004c); // ccpText
  body.copy(doc, TEXT_AT);
  // The piece table: one piece, characters 0..n, UTF-16 text at TEXT_AT.
  const plcPcd = Buffer.alloc(2 * 4 + 8);
  plcPcd.writeUInt32LE(0, 0);
  plcPcd.writeUInt32LE(chars.length, 4);
  plcPcd.writeUInt32LE(TEXT_AT, 8 + 2);
  const clx = Buffer.concat([Buffer.from([0x02]), Buffer.alloc(4), plcPcd]);
  clx.writeUInt32LE(plcPcd.length, 1);
  doc.writeUInt32LE(0, 0x01a2); // fcClx
  doc.writeUInt32LE(clx.length, 0x01a6); // lcbClx
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, "/WordDocument", doc);
  CFB.utils.cfb_add(cfb, "/1Table", clx);
  return Buffer.from(CFB.write(cfb, { type: "buffer" }) as Uint8Array);
}

/** A compound file that is not a Word document (a spreadsheet's shape): what an older WPS format or a renamed .xls looks like to the reader. */
export function otherCompoundFile(): Buffer {
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, "/Workbook", Buffer.from("not a word document"));
  return Buffer.from(CFB.write(cfb, { type: "buffer" }) as Uint8Array);
}

/** A zip of one entry, its sizes as declared: a bomb declares little and inflates to much. */
export function zipOf(name: string, content: Buffer, declared = content.length): Buffer {
  const data = deflateRawSync(content);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

