import { FacetList } from "@/components/search/facet-list";
import type { SearchResponse } from "@/lib/search/engine/types";
import { searchHref, toggle, type SearchState } from "@/lib/search/client/url";

const SORTS: Array<[string, string]> = [
  ["relevance", "相关度"],
  ["newest", "最新"],
  ["oldest", "最早"],
];

const FACET_LIMIT = 100;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Sort, date range and facet filters. Everything is a link or a GET form: the URL is the state. */
export function Filters({ state, facets, today }: { state: SearchState; facets: SearchResponse["facets"]; today: Date }) {
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(today.getUTCFullYear() - 1);
  const fiveYearsAgo = new Date(today);
  fiveYearsAgo.setUTCFullYear(today.getUTCFullYear() - 5);
  const quick: Array<[string, string, string]> = [
    ["近一年", isoDay(yearAgo), ""],
    ["近五年", isoDay(fiveYearsAgo), ""],
  ];
  // The most frequent values only: a corpus can have thousands, and each one is page weight.
  const authorItems = facets.authors.slice(0, FACET_LIMIT).map((f) => ({ ...f, active: state.authors.includes(f.value), href: searchHref(state, { authors: toggle(state.authors, f.value) }) }));
  // Selected values with no match in the current results still show, so they can be removed.
  for (const a of state.authors) if (!authorItems.some((i) => i.value === a)) authorItems.unshift({ value: a, count: 0, active: true, href: searchHref(state, { authors: toggle(state.authors, a) }) });
  const sourceItems = facets.sources.slice(0, FACET_LIMIT).map((f) => ({ ...f, active: state.sources.includes(f.value), href: searchHref(state, { sources: toggle(state.sources, f.value) }) }));
  for (const s of state.sources) if (!sourceItems.some((i) => i.value === s)) sourceItems.unshift({ value: s, count: 0, active: true, href: searchHref(state, { sources: toggle(state.sources, s) }) });
  // 文种 and 发文机关: only where official documents match (most libraries of articles have none).
  const valueItems = (values: SearchResponse["facets"]["docTypes"], chosen: string[], key: "docTypes" | "issuers") => {
    const items = values.slice(0, FACET_LIMIT).map((f) => ({ ...f, active: chosen.includes(f.value), href: searchHref(state, { [key]: toggle(chosen, f.value) }) }));
    for (const v of chosen) if (!items.some((i) => i.value === v)) items.unshift({ value: v, count: 0, active: true, href: searchHref(state, { [key]: toggle(chosen, v) }) });
    return items;
  };
  const docTypeItems = valueItems(facets.docTypes, state.docTypes, "docTypes");
  const issuerItems = valueItems(facets.issuers, state.issuers, "issuers");
  const pill = (active: boolean) =>
    `rounded-md px-2.5 py-1 text-sm focus-visible:outline-2 focus-visible:outline-red-700 ${active ? "bg-red-700 text-white" : "bg-zinc-100 hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700"}`;
  return (
    <div>
      <section aria-labelledby="sort-title" className="mb-5">
        <h3 id="sort-title" className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-200">
          排序
        </h3>
        <div className="flex gap-1.5">
          {SORTS.map(([value, label]) => (
            <a key={value} href={searchHref(state, { sort: value })} aria-current={state.sort === value ? "true" : undefined} className={pill(state.sort === value)}>
              {label}
            </a>
          ))}
        </div>
      </section>
      <section aria-labelledby="date-title" className="mb-5">
        <h3 id="date-title" className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-200">
          发布时间
        </h3>
        <div className="mb-2 flex flex-wrap gap-1.5">
          {quick.map(([label, from, to]) => (
            <a key={label} href={searchHref(state, { from, to })} aria-current={state.from === from && state.to === to ? "true" : undefined} className={pill(state.from === from && state.to === to)}>
              {label}
            </a>
          ))}
        </div>
        <form action="/" method="get" className="flex flex-wrap items-end gap-2">
          {state.q && <input type="hidden" name="q" value={state.q} />}
          {state.authors.map((a) => (
            <input key={a} type="hidden" name="author" value={a} />
          ))}
          {state.sources.map((s) => (
            <input key={s} type="hidden" name="source" value={s} />
          ))}
          {state.docTypes.map((t) => (
            <input key={`t-${t}`} type="hidden" name="docType" value={t} />
          ))}
          {state.issuers.map((i) => (
            <input key={`i-${i}`} type="hidden" name="issuer" value={i} />
          ))}
          {state.sort !== "relevance" && <input type="hidden" name="sort" value={state.sort} />}
          <label className="flex flex-col text-xs text-zinc-500">
            从
            <input name="from" defaultValue={state.from} placeholder="如 2019" pattern="\d{4}([-/.]\d{1,2}([-/.]\d{1,2})?)?" className="mt-0.5 h-8 w-28 rounded border border-zinc-300 bg-white px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100" />
          </label>
          <label className="flex flex-col text-xs text-zinc-500">
            到
            <input name="to" defaultValue={state.to} placeholder="如 2024-06" pattern="\d{4}([-/.]\d{1,2}([-/.]\d{1,2})?)?" className="mt-0.5 h-8 w-28 rounded border border-zinc-300 bg-white px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100" />
          </label>
          <button type="submit" className="h-8 rounded border border-zinc-300 px-3 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-red-700 dark:border-zinc-700 dark:hover:bg-zinc-800">
            应用
          </button>
        </form>
      </section>
      <FacetList title="作者" noun="作者" items={authorItems} more={Math.max(0, facets.authors.length - FACET_LIMIT)} />
      <FacetList title="来源" noun="来源" items={sourceItems} more={Math.max(0, facets.sources.length - FACET_LIMIT)} />
      {docTypeItems.length > 0 && <FacetList title="文种" noun="文种" items={docTypeItems} more={Math.max(0, facets.docTypes.length - FACET_LIMIT)} />}
      {issuerItems.length > 0 && <FacetList title="发文机关" noun="发文机关" items={issuerItems} more={Math.max(0, facets.issuers.length - FACET_LIMIT)} />}
    </div>
  );
}
