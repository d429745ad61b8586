// A fixed set of requests whose full responses are compared between two ways
// of computing the same index (saved vs built, incremental vs full): words,
// phrases, exclusions, alternatives, filters, facets, sort orders and pages.
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { SearchRequest } from "@/lib/search/engine/types";
import type { TrendRequest } from "@/lib/search/engine/trends";

const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 20 };

export const QUERY_SET: SearchRequest[] = [
  { ...base, q: "党建" },
  { ...base, q: "黨建工作創新" },
  { ...base, q: '"全面从严治党" -纪律' },
  { ...base, q: "茶产业 | 贫困" },
  { ...base, q: "马克" },
  { ...base, q: "灯" },
  { ...base, q: "党员 学习" },
  { ...base, q: "主题教育" },
  { ...base, q: "志愿" },
  { ...base, q: "建工" },
  { ...base, q: "会议 -教育" },
  { ...base, q: "", authors: ["陳志明"] },
  { ...base, q: "", docTypes: ["通知"] },
  { ...base, q: "党员 学习", issuers: ["中共示范县委组织部"] },
  { ...base, q: "示组发[2022]5号" },
  { ...base, q: "教育", docTypes: ["意見", "通知"], sort: "newest" },
  { ...base, q: "", authors: ["孙伟"], sort: "newest" },
  { ...base, q: "党", sort: "oldest", page: 2, size: 3 },
  { ...base, q: "党", sort: "newest", size: 50 },
  { ...base, q: "", from: "2019-01-01", to: "2021-12-31", sort: "newest" },
  { ...base, q: "", size: 100, sort: "oldest" },
  { ...base, q: "学习", sources: ["机关党建通讯"] },
  { ...base, q: "标题:党建" },
  { ...base, q: '正文:"全面从严治党" -标题:纪律' },
  { ...base, q: "作者:陈 学习" },
  { ...base, q: "来源:通讯 -作者:孙伟", sort: "newest" },
  { ...base, q: "文号:示组发" },
  { ...base, q: "正文:党员 -正文:学习 | 标题:党" },
  { ...base, q: "党员 NEAR/5 学习" },
  { ...base, q: "党 NEAR/s 学习 | 志愿 NEAR/p 服务" },
];

/** Trend requests compared the same way: words, OR, fields, NEAR, filters, both bucket sizes. */
export const TREND_SET: TrendRequest[] = [
  { queries: ["党建", "黨建工作創新"], by: "year", authors: [], sources: [], from: null, to: null },
  { queries: ["党员 学习", "茶产业 | 贫困", "标题:党建"], by: "month", authors: [], sources: [], from: "2018-01-01", to: "2021-12-31" },
  { queries: ["党 NEAR/s 学习", "马克", "\"全面从严治党\""], by: "year", authors: [], sources: ["机关党建通讯", "清风周刊"], from: null, to: null },
];

/** Full responses (timing left out) and every article's reading view with highlights. */
const SUGGEST_PREFIXES = ["党", "党建", "学", "社区", "支部", "黨", "dang", "dangjian", "xuexi", "dj", "zb", "sq", "d", "三", "乡村"];

/** answers() through searchAsync, getAsync and suggestAsync (any index; a lean one has no `articles`, so `ids` is given); `together` sends every request at once. */
export async function answersAsync(index: SearchIndex, ids: string[], together = false, requests: SearchRequest[] = QUERY_SET) {
  const all = <T, R>(list: T[], f: (x: T) => Promise<R>): Promise<R[]> =>
    together ? Promise.all(list.map(f)) : list.reduce<Promise<R[]>>(async (acc, x) => [...(await acc), await f(x)], Promise.resolve([]));
  return {
    searches: await all(requests, async (r) => ({ ...(await index.searchAsync(r)), tookMs: 0 })),
    trends: await all(TREND_SET, (r) => index.trendsAsync(r)),
    articles: await all(ids, (id) => index.getAsync(id, "党建 学习")),
    suggestions: await all(SUGGEST_PREFIXES, (q) => index.suggestAsync(q)),
    vocabulary: index.vocabularyDigest(),
  };
}

export function answers(index: SearchIndex, requests: SearchRequest[] = QUERY_SET, ids: string[] = index.articles.map((a) => a.id)) {
  return {
    searches: requests.map((r) => ({ ...index.search(r), tookMs: 0 })),
    trends: TREND_SET.map((r) => index.trends(r)),
    articles: ids.map((id) => index.get(id, "党建 学习")),
    // The vocabulary behind suggestions and did-you-mean: words, pinyin, initials, titles.
    suggestions: SUGGEST_PREFIXES.map((q) => index.suggest(q)),
    vocabulary: index.vocabularyDigest(),
  };
}
