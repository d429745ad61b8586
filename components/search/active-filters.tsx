import { hasFilters, searchHref, type SearchState } from "@/lib/search/client/url";

/** The filters in force as removable chips, and a way to clear them all (the query stays). */
export function ActiveFilters({ state }: { state: SearchState }) {
  if (!hasFilters(state)) return null;
  const chips: Array<{ key: string; label: string; href: string }> = [
    ...state.authors.map((a) => ({ key: `a-${a}`, label: `作者：${a}`, href: searchHref(state, { authors: state.authors.filter((x) => x !== a) }) })),
    ...state.sources.map((s) => ({ key: `s-${s}`, label: `来源：${s}`, href: searchHref(state, { sources: state.sources.filter((x) => x !== s) }) })),
    ...state.docTypes.map((t) => ({ key: `t-${t}`, label: `文种：${t}`, href: searchHref(state, { docTypes: state.docTypes.filter((x) => x !== t) }) })),
    ...state.issuers.map((i) => ({ key: `i-${i}`, label: `发文机关：${i}`, href: searchHref(state, { issuers: state.issuers.filter((x) => x !== i) }) })),
  ];
  if (state.from || state.to) {
    const label = state.from && state.from === state.to ? `${state.from} 年` : `${state.from || "最早"} 至 ${state.to || "今"}`;
    chips.push({ key: "date", label: `时间：${label}`, href: searchHref(state, { from: "", to: "" }) });
  }
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2" aria-label="已选筛选条件">
      {chips.map((c) => (
        <a key={c.key} href={c.href} aria-label={`移除 ${c.label}`} className="inline-flex items-center gap-1 rounded-full border border-red-200 bg-red-50 py-0.5 pl-3 pr-2 text-sm text-red-800 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {c.label}
          <span aria-hidden className="text-base leading-none">×</span>
        </a>
      ))}
      <a href={searchHref(state, { authors: [], sources: [], docTypes: [], issuers: [], from: "", to: "" })} className="text-sm text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300">
        清除全部
      </a>
    </div>
  );
}
