// Term trends against a plain scan of a generated library: buckets by year and
// month, totals, articles and occurrences per bucket, shares, filters, both
// scripts; and each point equal to the search of its bucket.
import { beforeAll, describe, expect, it } from "vitest";
import { buildSearchIndex } from "@/lib/search/build/in-memory";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { bucketRange, countMarks, type TrendRequest } from "@/lib/search/engine/trends";
import { occurrencesOf, scanned, WORDS, workbenchArticles, type Scanned } from "@/testkit/workbench-library";
import { ParamError, parseTrendParams } from "@/lib/search/serving/params";
import { normalize } from "@/lib/text/normalize";

let index: SearchIndex;
let library: Scanned[];
const base: TrendRequest = { queries: [], by: "year", authors: [], sources: [], from: null, to: null };

beforeAll(async () => {
  const articles = workbenchArticles(500, 77);
  index = await buildSearchIndex(articles);
  library = articles.map(scanned);
});

/** The scan's trend of one literal term. */
function scanTrend(term: string, by: "year" | "month", keep: (a: Scanned) => boolean = () => true) {
  const t = normalize(term);
  const key = (a: Scanned) => (by === "year" ? a.date!.slice(0, 4) : a.date!.slice(0, 7));
  const dated = library.filter((a) => a.date && keep(a));
  const totals = new Map<string, number>();
  const articles = new Map<string, number>();
  const occurrences = new Map<string, number>();
  for (const a of dated) {
    totals.set(key(a), (totals.get(key(a)) ?? 0) + 1);
    const n = occurrencesOf(a, t);
    if (n === 0) continue;
    articles.set(key(a), (articles.get(key(a)) ?? 0) + 1);
    occurrences.set(key(a), (occurrences.get(key(a)) ?? 0) + n);
  }
  return { totals, articles, occurrences };
}

describe("trends against a scan", () => {
  it("every word, in either script, by year and by month: totals, articles, occurrences and share per bucket", () => {
    for (const by of ["year", "month"] as const)
      for (const [simp, trad] of WORDS) {
        const r = index.trends({ ...base, by, queries: [`"${trad}"`] });
        const scan = scanTrend(simp, by);
        expect(r.buckets[0]).toBe([...scan.totals.keys()].sort()[0]);
        expect(r.buckets.at(-1)).toBe([...scan.totals.keys()].sort().at(-1));
        r.buckets.forEach((b, i) => {
          expect(r.totals[i], `${b} total`).toBe(scan.totals.get(b) ?? 0);
          expect(r.series[0].articles[i], `${simp} ${b} articles`).toBe(scan.articles.get(b) ?? 0);
          expect(r.series[0].occurrences[i], `${simp} ${b} occurrences`).toBe(scan.occurrences.get(b) ?? 0);
          expect(r.series[0].share[i]).toBeCloseTo(r.totals[i] ? r.series[0].articles[i] / r.totals[i] : 0, 5);
        });
      }
  });

  it("month buckets run without a gap, empty months included", () => {
    const r = index.trends({ ...base, by: "month", queries: ["党建"] });
    for (let i = 1; i < r.buckets.length; i++) {
      const [y, m] = r.buckets[i - 1].split("-").map(Number);
      expect(r.buckets[i]).toBe(m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`);
    }
  });

  it("filters narrow totals and series alike; from and to set the buckets", () => {
    const r = index.trends({ ...base, queries: ["学习", "治理"], sources: ["清风周刊"], from: "2016-01-01", to: "2019-12-31" });
    expect(r.buckets).toEqual(["2016", "2017", "2018", "2019"]);
    const scan = scanTrend("学习", "year", (a) => a.source === "清风周刊" && a.date! >= "2016" && a.date! < "2020");
    r.buckets.forEach((b, i) => {
      expect(r.totals[i]).toBe(scan.totals.get(b) ?? 0);
      expect(r.series[0].articles[i]).toBe(scan.articles.get(b) ?? 0);
    });
    expect(r.series.map((s) => s.q)).toEqual(["学习", "治理"]);
  });

  it("each point's articles are what the search of its bucket counts (group=0), for words, OR, fields and NEAR", () => {
    for (const q of ["党建 学习", "创新 | 振兴", "标题:发展", "作者:张三 基层", "党建 NEAR/s 创新", "高质量发展"]) {
      const r = index.trends({ ...base, queries: [q] });
      r.buckets.forEach((b, i) => {
        const res = index.search({ q, authors: [], sources: [], from: bucketRange(b).from, to: bucketRange(b).to, sort: "newest", page: 1, size: 1, group: false });
        expect(r.series[0].articles[i], `${q} ${b}`).toBe(res.totalArticles);
      });
    }
  });

  it("occurrences of a query of several words count each word's matches (marks), a chunk over its words once", () => {
    const r = index.trends({ ...base, queries: ["党建 群众"] });
    const scan = library.filter((a) => a.date && occurrencesOf(a, "党建") > 0 && occurrencesOf(a, "群众") > 0);
    const sum = scan.reduce((n, a) => n + occurrencesOf(a, "党建") + occurrencesOf(a, "群众"), 0);
    expect(r.series[0].occurrences.reduce((x, y) => x + y, 0)).toBe(sum);
    expect(countMarks("标题\n新质生产力和新质生产力", 3, [], ["新质生产力", "新质", "生产力"])).toBe(2);
    expect(countMarks("标题\n党建党建", 3, [], ["党建"])).toBe(2);
    expect(countMarks("哈哈哈\n正文", 4, ["哈哈"], [])).toBe(1);
  });
});

describe("trend parameters", () => {
  const read = (qs: string) => parseTrendParams(new URLSearchParams(qs));
  it("reads several q, by, filters and dates", () => {
    expect(read("q=新质生产力&q=高质量发展&by=month&from=2020&to=2023-06&author=张三")).toEqual({
      queries: ["新质生产力", "高质量发展"],
      by: "month",
      authors: ["张三"],
      sources: [],
      docTypes: [],
      issuers: [],
      from: "2020-01-01",
      to: "2023-06-30",
    });
  });
  it("names the parameter of every bad request", () => {
    for (const [qs, param] of [
      ["", "q"],
      ["q=a&q=b&q=c&q=d&q=e&q=f", "q"],
      ["q=，。", "q"],
      ["q=党建&by=week", "by"],
      ["q=党建&from=2020&to=2019", "from"],
      ["q=党建&to=2019-13", "to"],
    ]) {
      let error: unknown = null;
      try {
        read(qs);
      } catch (e) {
        error = e;
      }
      expect(error, qs).toBeInstanceOf(ParamError);
      expect((error as ParamError).param, qs).toBe(param);
    }
  });
});
