// Exporting a result list: every result of a search in its order and
// grouping (at most EXPORT_LIMIT), as CSV (UTF-8 with a BOM, so that Excel
// reads it right), XLSX (exceljs, streamed), RIS or BibTeX (Zotero, EndNote,
// NoteExpress). Rows are written a batch of hits at a time as the response is
// read: memory holds one batch, whatever the number of rows.
import { PassThrough, Readable } from "node:stream";
import { once } from "node:events";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchHit, SearchRequest } from "@/lib/search/engine/types";
import { bibtex, citable, readingUrl, ris } from "@/lib/search/serving/citation";
import { ParamError, parseSearchParams } from "@/lib/search/serving/params";
import { plainText } from "@/lib/search/engine/highlight";
import type { TrendResponse } from "@/lib/search/engine/trends";

export const EXPORT_FORMATS = ["csv", "xlsx", "ris", "bib"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** At most this many rows in an export. */
export const EXPORT_LIMIT = 10_000;

const TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ris: "application/x-research-info-systems; charset=utf-8",
  bib: "application/x-bibtex; charset=utf-8",
};

/** The columns of a CSV or XLSX export, as their header row names them. */
export const EXPORT_COLUMNS = ["标题", "作者", "来源", "日期", "原文链接", "文号", "阅读页", "摘要"] as const;

export interface ExportRequest {
  search: SearchRequest;
  format: ExportFormat;
}

/** An export's parameters: the search's own (page and size ignored: every result is exported) and format=. Throws ParamError. */
export function parseExportParams(params: URLSearchParams): ExportRequest {
  const rest = new URLSearchParams(params);
  const formats = rest.getAll("format");
  if (formats.length > 1) throw new ParamError("format", "given more than once");
  const format = formats[0] || "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ParamError("format", `"${format}" is not one of ${EXPORT_FORMATS.join(", ")}`);
  for (const key of ["format", "page", "size"]) rest.delete(key);
  return { search: { ...parseSearchParams(rest), page: 1, size: 1 }, format: format as ExportFormat };
}

/** A row's cells, in EXPORT_COLUMNS order. */
function cells(hit: SearchHit, origin: string): string[] {
  return [hit.title, hit.author ?? "", hit.source ?? "", hit.date ?? "", hit.url ?? "", hit.docNumber ?? "", readingUrl(origin, hit.id), hit.snippets[0] ? plainText(hit.snippets[0]).trim() : ""];
}

/**
 * A CSV cell (RFC 4180): quoted when it holds a quote, comma or line break.
 * A cell a spreadsheet would read as a formula (= + - @, a tab or CR first)
 * starts with an apostrophe instead (OWASP: CSV injection).
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/u.test(v) ? `'${v}` : v;
  return /[",\r\n]/u.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The file name: the query (characters a file system refuses left out) and the day; `ascii` for clients without RFC 5987. */
export function exportFileName(q: string, format: string, now: Date, prefix: [string, string] = ["党建文章", "dangjian-export"]): { name: string; ascii: string } {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const query = [...q.replace(/[\\/:*?"<>|\p{Cc}\p{Cf}]+/gu, " ").replace(/\s+/gu, " ").trim()].slice(0, 40).join("");
  return { name: `${prefix[0]}-${query || "全部"}-${day}.${format}`, ascii: `${prefix[1]}-${day}.${format}` };
}

/** A trends answer as CSV (UTF-8 with a BOM): a row per year or month, each query's articles, occurrences and share. */
export function trendsCsv(t: TrendResponse): string {
  const header = [t.by === "year" ? "年份" : "月份", "全部文章", ...t.series.flatMap((s) => [`${s.q} 文章数`, `${s.q} 出现次数`, `${s.q} 占比`])];
  const rows = t.buckets.map((b, i) => [b, String(t.totals[i]), ...t.series.flatMap((s) => [String(s.articles[i]), String(s.occurrences[i]), String(s.share[i])])]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** Content-Disposition with both names (RFC 6266 and RFC 5987's filename*). */
export function attachment(name: { name: string; ascii: string }): string {
  const encoded = encodeURIComponent(name.name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${name.ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The export as a stream of bytes and its headers. The search runs and the
 * first batch is made before this returns, so that a store that does not
 * answer is an error response, not a broken download.
 */
export async function exportResponse(index: SearchIndex, req: ExportRequest, origin: string, now: Date): Promise<{ body: ReadableStream<Uint8Array>; headers: Record<string, string> }> {
  const source = index.allHits(req.search, EXPORT_LIMIT);
  const first = await source.next();
  const hits = (async function* () {
    if (first.done) return;
    yield first.value;
    yield* source;
  })();
  const headers = {
    "Content-Type": TYPES[req.format],
    "Content-Disposition": attachment(exportFileName(req.search.q, req.format, now)),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  };
  if (req.format === "xlsx") return { body: xlsxStream(hits, origin), headers };
  const encoder = new TextEncoder();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (req.format === "csv") return controller.enqueue(encoder.encode(`\uFEFF${EXPORT_COLUMNS.join(",")}\r\n`));
      }
      const next = await hits.next();
      if (next.done) return controller.close();
      const text = next.value
        .map((hit) => {
          if (req.format === "csv") return `${cells(hit, origin).map(csvCell).join(",")}\r\n`;
          const cited = citable(hit, origin);
          return req.format === "ris" ? ris(cited, now) + "\r\n" : bibtex(cited, now) + "\n";
        })
        .join("");
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await hits.return();
    },
  });
  return { body, headers };
}

/** An XLSX workbook written row by row into the response (exceljs's streaming writer), waiting for the reader when it falls behind. */
function xlsxStream(hits: AsyncGenerator<SearchHit[], void, void>, origin: string): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  void (async () => {
    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = book.addWorksheet("检索结果");
    sheet.columns = EXPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: [48, 16, 16, 12, 40, 20, 40, 80][i] }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const batch of hits) {
      for (const hit of batch) {
        const row = cells(hit, origin);
        sheet.addRow(row.map((v, i) => ((i === 4 || i === 6) && v ? { text: v, hyperlink: v } : v))).commit();
      }
      if (out.writableNeedDrain) await once(out, "drain");
    }
    sheet.commit();
    await book.commit();
  })().catch((e: unknown) => out.destroy(e as Error));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
