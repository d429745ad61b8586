// A facet's values as one HTML string of list items (see results-html.ts for
// why): up to a hundred authors and as many sources, each a link with its box
// and count, were most of the search page's sidebar.
import { escapeHtml } from "@/components/text/html";

export interface FacetItem {
  value: string;
  count: number;
  href: string;
  active: boolean;
}

/** Facet values as <li> links that add or remove the value (a link, not a toggle: whether it is applied is said in words). */
export function facetItemsHtml(items: FacetItem[]): string {
  let out = "";
  for (const item of items) {
    const on = item.active ? " on" : "";
    out += `<li><a href="${escapeHtml(item.href)}" class="facet${on}"><span class="facet-name"><span aria-hidden="true" class="facet-box${on}"></span>`;
    out += `<span class="truncate">${item.active ? '<span class="sr-only">已选：</span>' : ""}${escapeHtml(item.value)}</span></span>`;
    out += `<span class="facet-count">${item.count}</span></a></li>`;
  }
  return out;
}
