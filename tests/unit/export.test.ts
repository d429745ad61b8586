// Exports read back: CSV (BOM, RFC 4180, formula-safe), XLSX (exceljs),
// RIS and BibTeX; every result in the search's order and grouping.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { buildSearchIndex } from "@/lib/search/build/in-memory";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchRequest } from "@/lib/search/engine/types";
import { attachment, csvCell, EXPORT_COLUMNS, exportFileName, exportResponse, parseExportParams, type ExportFormat } from "@/lib/search/serving/export";
import { finishArticle } from "@/lib/content/ingest";
import { workbenchArticles } from "@/testkit/workbench-library";

let index: SearchIndex;
const origin = "https://dj.example";
const now = new Date("2026-12-06T08:00:00Z");

beforeAll(async () => {
  const hostile = finishArticle({ title: '=HYPERLINK("http://evil")', authors: ["-2+3"], source: "@source", date: "2024-01-01", paragraphs: ['含"引号",逗号\n和换行的党建正文'] }, "x/hostile", "hostile");
  index = await buildSearchIndex([...workbenchArticles(700, 5), hostile]);
});

async function bytesOf(q: string, format: ExportFormat): Promise<{ bytes: Buffer; headers: Record<string, string> }> {
  const req = parseExportParams(new URLSearchParams(`${q}&format=${format}`));
  const { body, headers } = await exportResponse(index, req, origin, now);
  return { bytes: Buffer.from(await new Response(body).arrayBuffer()), headers };
}

const searchOf = (qs: string): SearchRequest => parseExportParams(new URLSearchParams(qs)).search;

describe("exports", () => {
  it("CSV: a BOM, the header, one row per result in the search's order (grouped or not), read back by a CSV parser", async () => {
    for (const qs of ["q=党建", "q=学习&sort=newest&group=0", "q=作者:张三 -正文:创新&sort=oldest", "q=党建&source=人民日报"]) {
      const { bytes, headers } = await bytesOf(qs, "csv");
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(headers["Content-Type"]).toBe("text/csv; charset=utf-8");
      const rows: string[][] = parse(bytes.toString("utf8").slice(1), { relax_column_count: false });
      expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
      const ids = index.searchIds(searchOf(qs));
      const search = index.search({ ...searchOf(qs), size: 10 });
      expect(rows.length - 1, qs).toBe(search.total);
      expect(rows.slice(1).map((r) => r[6])).toEqual(ids.map((id) => `${origin}/articles/${encodeURIComponent(id)}`));
    }
  });

  it("CSV: quotes, commas and line breaks survive; formulas are defused", async () => {
    const { bytes } = await bytesOf("q=引号", "csv");
    const rows: string[][] = parse(bytes.toString("utf8").slice(1));
    expect(rows[1][0]).toBe(`'=HYPERLINK("http://evil")`);
    expect(rows[1][1]).toBe("'-2+3");
    expect(rows[1][2]).toBe("'@source");
    expect(rows[1][7]).toContain('含"引号",逗号');
    expect(csvCell("a,b")).toBe('"a,b"');
  });

  it("XLSX: read back with exceljs, the same rows as the CSV", async () => {
    const { bytes: csv } = await bytesOf("q=学习", "csv");
    const { bytes, headers } = await bytesOf("q=学习", "xlsx");
    expect(headers["Content-Type"]).toMatch(/spreadsheetml/u);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("检索结果")!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push(EXPORT_COLUMNS.map((_, i) => row.getCell(i + 1).text)));
    const expected: string[][] = parse(csv.toString("utf8").slice(1));
    expect(rows.length).toBe(expected.length);
    // The CSV defuses formulas with an apostrophe; a spreadsheet cell holds text as text.
    expect(rows).toEqual(expected.map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/u, ""))));
  });

  it("RIS and BibTeX: one record per result", async () => {
    const total = index.search({ ...searchOf("q=治理"), size: 10 }).total;
    const { bytes: risBytes } = await bytesOf("q=治理", "ris");
    expect(risBytes.toString("utf8").match(/^TY {2}- /gmu)!.length).toBe(total);
    expect(risBytes.toString("utf8").match(/^ER {2}- $/gmu)!.length).toBe(total);
    const { bytes: bib } = await bytesOf("q=治理", "bib");
    expect(bib.toString("utf8").match(/^@(online|article)\{/gmu)!.length).toBe(total);
  });

  it("stops at 10,000 rows", async () => {
    const many = await buildSearchIndex(workbenchArticles(10_050, 9));
    const req = parseExportParams(new URLSearchParams("q=&format=csv&group=0"));
    const { body } = await exportResponse(many, req, origin, now);
    const text = await new Response(body).text();
    expect(text.split("\r\n").filter(Boolean).length - 1).toBe(10_000);
  }, 120_000);

  it("names the file after the query and the day, in RFC 5987 and plain ASCII", () => {
    const name = exportFileName('党建 "创新"/2024', "csv", now);
    expect(name).toEqual({ name: "党建文章-党建 创新 2024-20261206.csv", ascii: "dangjian-export-20261206.csv" });
    expect(attachment(name)).toBe(`attachment; filename="dangjian-export-20261206.csv"; filename*=UTF-8''${encodeURIComponent("党建文章-党建 创新 2024-20261206.csv")}`);
    expect(exportFileName("", "xlsx", now).name).toBe("党建文章-全部-20261206.xlsx");
  });

  it("names a bad format", () => {
    expect(() => parseExportParams(new URLSearchParams("q=a&format=pdf"))).toThrow(/format: "pdf" is not one of csv, xlsx, ris, bib/u);
  });
});
