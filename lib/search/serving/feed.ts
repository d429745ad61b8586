// Following a search: an Atom feed of the newest articles matching a query
// and filters, and the OpenSearch description that lets a browser add the
// site as a search engine. Pure functions from a search response to XML;
// the routes in app/ add the HTTP around them.
import { XMLBuilder } from "fast-xml-parser";
import { generateAtomFeed } from "feedsmith";
import type { IndexManifest } from "@/lib/search/formats/manifest";
import type { SearchHit, SearchRequest, SearchResponse } from "@/lib/search/engine/types";
import { requestParams } from "@/lib/search/client/url";

export const FEED_SIZE = 20;
const SITE_NAME = "党建文库检索";

/** Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/F): scraped text can hold them. */
function xmlText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, "");
}

/** What the feed follows, in words: its title. */
export function feedTitle(req: Pick<SearchRequest, "q" | "authors" | "sources" | "docTypes" | "issuers" | "from" | "to">): string {
  const parts = [req.q.trim() ? `“${req.q.trim()}”` : "最新文章"];
  if (req.authors.length) parts.push(`作者：${req.authors.join("、")}`);
  if (req.sources.length) parts.push(`来源：${req.sources.join("、")}`);
  if (req.docTypes?.length) parts.push(`文种：${req.docTypes.join("、")}`);
  if (req.issuers?.length) parts.push(`发文机关：${req.issuers.join("、")}`);
  if (req.from || req.to) parts.push(`时间：${req.from ?? "…"} 至 ${req.to ?? "…"}`);
  return `${SITE_NAME} · ${parts.join(" · ")}`;
}

/** An article's date as a time (midnight, China time); undated articles take the generation's time. */
function entryTime(hit: SearchHit, fallback: string): string {
  return hit.date ? `${hit.date}T00:00:00+08:00` : fallback;
}

function summaryOf(hit: SearchHit): string {
  return hit.snippets.map((parts) => parts.map((p) => p.text).join("")).join(" … ");
}

/**
 * The Atom feed of a search sorted newest first. `origin` makes the links
 * absolute; the feed's time is the generation's, so it changes when the
 * library does.
 */
export function atomFeed(req: SearchRequest, res: SearchResponse, manifest: Pick<IndexManifest, "builtAt">, origin: string): string {
  const params = requestParams(req);
  const query = params.toString();
  const self = `${origin}/feed.xml${query ? `?${query}` : ""}`;
  const page = `${origin}/${query ? `?${query}` : ""}`;
  const highlight = req.q.trim() ? `?q=${encodeURIComponent(req.q.trim())}` : "";
  return generateAtomFeed({
    id: self,
    title: { value: xmlText(feedTitle(req)) },
    subtitle: { value: `共 ${res.total} 篇，按发布时间由新到旧，列出最新 ${res.hits.length} 篇` },
    updated: new Date(manifest.builtAt),
    authors: [{ name: SITE_NAME }],
    generator: { text: SITE_NAME },
    links: [
      { href: self, rel: "self", type: "application/atom+xml" },
      { href: page, rel: "alternate", type: "text/html" },
    ],
    entries: res.hits.map((hit) => {
      const url = `${origin}/articles/${encodeURIComponent(hit.id)}`;
      return {
        id: url,
        title: { value: xmlText(hit.title) },
        updated: new Date(entryTime(hit, manifest.builtAt)),
        ...(hit.date ? { published: new Date(entryTime(hit, manifest.builtAt)) } : {}),
        links: [{ href: `${url}${highlight}`, rel: "alternate", type: "text/html" }],
        ...(hit.author ? { authors: [{ name: xmlText(hit.author) }] } : {}),
        ...(hit.source ? { categories: [{ term: xmlText(hit.source), label: xmlText(hit.source) }] } : {}),
        summary: { value: xmlText(summaryOf(hit)) },
      };
    }),
  });
}

/** The OpenSearch 1.1 description: results as a page, and as a feed. */
export function openSearchDescription(origin: string): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, attributeNamePrefix: "@" });
  return builder.build({
    "?xml": { "@version": "1.0", "@encoding": "UTF-8" },
    OpenSearchDescription: {
      "@xmlns": "http://a9.com/-/spec/opensearch/1.1/",
      ShortName: "党建文库",
      Description: "党建文章全文检索：简体、繁体都可以搜索",
      InputEncoding: "UTF-8",
      Language: "zh-CN",
      Url: [
        { "@type": "text/html", "@method": "get", "@template": `${origin}/?q={searchTerms}` },
        { "@type": "application/atom+xml", "@method": "get", "@template": `${origin}/feed.xml?q={searchTerms}` },
        { "@type": "application/opensearchdescription+xml", "@rel": "self", "@template": `${origin}/opensearch.xml` },
      ],
    },
  });
}

export { siteOrigin } from "@/lib/search/serving/origin";
