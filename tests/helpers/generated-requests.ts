// Generated search requests over a library's own articles, for properties
// that hold two ways of answering equal: pieces of one article's text (two to
// six characters: short terms and long ones a store counts), now and then with
// an operator, a piece of another article or hostile text, under filters,
// sorts and pages.
import fc from "fast-check";
import { expect } from "vitest";
import type { Article } from "@/lib/content/article";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { checkQuery } from "@/lib/search/serving/params";
import { queryText } from "./hostile-queries";

export function fixtureRequest(articles: Article[]) {
  const texts = articles.map((a) => [a.title, ...a.paragraphs].join(""));
  const pieceOf = (d: number) => fc.tuple(fc.nat(4000), fc.integer({ min: 2, max: 6 })).map(([at, n]) => {
    const from = at % Math.max(1, texts[d].length - n);
    return texts[d].slice(from, from + n);
  });
  const extra = fc.oneof(fc.constantFrom("-", "|", "OR", "黨", "学习", '"'), fc.nat(texts.length - 1).chain(pieceOf), queryText);
  const query = fc
    .tuple(fc.nat(texts.length - 1).chain((d) => fc.array(pieceOf(d), { minLength: 1, maxLength: 2 })), fc.oneof({ weight: 2, arbitrary: fc.constant<string[]>([]) }, fc.array(extra, { minLength: 1, maxLength: 2 })), fc.boolean())
    .map(([own, more, spaced]) => [...own, ...more].join(spaced ? " " : ""));
  return fc.record({
    q: query,
    // Filters now and then: most generated requests must find something.
    authors: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, fc.subarray(["周明", "陳志明", "孙伟", "无此人"], { minLength: 1, maxLength: 2 })),
    sources: fc.oneof({ weight: 6, arbitrary: fc.constant<string[]>([]) }, fc.constant<string[]>(["机关党建通讯"])),
    // 文种 and 发文机关 (facets a lean server builds from its docs rows): rarely, most articles have none.
    docTypes: fc.oneof({ weight: 9, arbitrary: fc.constant<string[]>([]) }, fc.constant<string[]>(["通知", "意见"])),
    issuers: fc.oneof({ weight: 9, arbitrary: fc.constant<string[]>([]) }, fc.constant<string[]>(["中共示范县委组织部"])),
    from: fc.constantFrom(null, null, null, "2018-01-01", "2021-06-30"),
    to: fc.constantFrom(null, null, null, "2020-12-31"),
    sort: fc.constantFrom("relevance" as const, "newest" as const, "oldest" as const),
    page: fc.constantFrom(1, 1, 1, 2),
    size: fc.constantFrom(5, 20),
    group: fc.boolean(),
  });
}

/** As the API takes them: a query checkQuery refuses is a 400, never searched. */
export function searchable<T extends { q: string }>(requests: T[]): T[] {
  return requests.filter((r) => {
    try {
      checkQuery(r.q);
      return true;
    } catch {
      return false;
    }
  });
}

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

/**
 * Generated requests over `articles`, all at once against a lean index
 * (reruns interleave) and one at a time against the built one: the answers
 * must be equal. Returns how many answers found something, of how many asked
 * (a property over empty pages proves little).
 */
export async function expectLeanLikeBuilt(lean: SearchIndex, built: SearchIndex, articles: Article[], numRuns: number): Promise<{ found: number; asked: number }> {
  let found = 0;
  let asked = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fixtureRequest(articles), { minLength: 1, maxLength: 6 }), async (reqs) => {
      const valid = searchable(reqs);
      const got = await Promise.all(valid.map(async (r) => ({ ...(await lean.searchAsync(r)), tookMs: 0 })));
      for (const g of got) found += g.hits.length > 0 ? 1 : 0;
      asked += valid.length;
      expect(json(got)).toEqual(json(valid.map((r) => ({ ...built.search(r), tookMs: 0 }))));
    }),
    { numRuns },
  );
  return { found, asked };
}
