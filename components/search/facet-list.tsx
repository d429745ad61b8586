"use client";
// A facet's values (authors or sources) with counts, as links that add or
// remove the value from the search. Long lists get a filter box; the rest of
// a long list opens with <details>. The server renders the rest (so it opens
// without JavaScript); in the browser it is rendered only while open, so
// results shown as you type do not build ~200 links nobody sees. The items
// are one HTML string (facet-html.ts).
import { useEffect, useId, useState } from "react";
import { facetItemsHtml, type FacetItem } from "@/components/search/facet-html";
import { normalizeForFilter } from "@/lib/search/client/filter-text";

const SHOWN = 8;

export function FacetList({ title, items, noun, more = 0 }: { title: string; items: FacetItem[]; noun: string; /** Values left out of `items` (the least frequent). */ more?: number }) {
  const [filter, setFilter] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const [opened, setOpened] = useState(false);
  useEffect(() => setHydrated(true), []);
  const id = useId();
  if (items.length === 0) return null;
  const needle = normalizeForFilter(filter);
  const matching = needle ? items.filter((i) => normalizeForFilter(i.value).includes(needle)) : items;
  // Active values always stay visible.
  const head = needle ? matching : [...items.filter((i) => i.active), ...items.filter((i) => !i.active)].slice(0, SHOWN);
  const rest = needle ? [] : items.filter((i) => !head.includes(i));
  return (
    <section aria-labelledby={`${id}-t`} className="mb-5">
      <h3 id={`${id}-t`} className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-200">
        {title}
      </h3>
      {items.length > SHOWN && (
        <>
          <label htmlFor={`${id}-f`} className="sr-only">
            筛选{noun}
          </label>
          <input
            id={`${id}-f`}
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder={`查找${noun}（${more ? `前 ${items.length} 个，共 ${items.length + more} 个` : `共 ${items.length} 个`}）`}
            className="mb-1.5 h-8 w-full rounded border border-zinc-300 bg-white px-2 text-sm outline-none focus:border-red-600 focus:ring-2 focus:ring-red-600/30 dark:border-zinc-700 dark:bg-zinc-900"
          />
        </>
      )}
      <ul dangerouslySetInnerHTML={{ __html: facetItemsHtml(head) }} />
      {needle && matching.length === 0 && <p className="px-2 text-sm text-zinc-500">没有匹配的{noun}</p>}
      {rest.length > 0 && (
        <details open={opened} onToggle={(e) => setOpened(e.currentTarget.open)}>
          <summary className="cursor-pointer px-2 py-1 text-sm text-blue-800 dark:text-blue-300">显示其余 {rest.length} 个</summary>
          {(opened || !hydrated) && (
            <ul dangerouslySetInnerHTML={{ __html: facetItemsHtml(rest) }} />
          )}
        </details>
      )}
    </section>
  );
}
