"use client";
// A facet's values (authors or sources) with counts, as links that add or
// remove the value from the search. Long lists get a filter box; the rest of
// a long list opens with <details>. The server renders the rest (so it opens
// without JavaScript); in the browser it is rendered only while open, so
// results shown as you type do not build ~200 links nobody sees.
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { normalizeForFilter } from "@/lib/search/client/filter-text";

export interface FacetItem {
  value: string;
  count: number;
  href: string;
  active: boolean;
}

const SHOWN = 8;

function Item({ item }: { item: FacetItem }) {
  return (
    <li>
      <Link prefetch={false}
        href={item.href}
        className={`flex items-center justify-between gap-2 rounded px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-red-700 ${item.active ? "bg-red-50 font-medium text-red-800 dark:bg-red-950 dark:text-red-300" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
      >
        <span className="flex min-w-0 items-center gap-2">
          <span aria-hidden className={`inline-block h-3.5 w-3.5 shrink-0 rounded-sm border ${item.active ? "border-red-700 bg-red-700" : "border-zinc-400"}`} />
          {/* A link, not a toggle button: whether it is applied is said in words. */}
          <span className="truncate">
            {item.active && <span className="sr-only">已选：</span>}
            {item.value}
          </span>
        </span>
        <span className="shrink-0 tabular-nums text-xs text-zinc-500">{item.count}</span>
      </Link>
    </li>
  );
}

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
      <ul>
        {head.map((item) => (
          <Item key={item.value} item={item} />
        ))}
      </ul>
      {needle && matching.length === 0 && <p className="px-2 text-sm text-zinc-500">没有匹配的{noun}</p>}
      {rest.length > 0 && (
        <details open={opened} onToggle={(e) => setOpened(e.currentTarget.open)}>
          <summary className="cursor-pointer px-2 py-1 text-sm text-blue-800 dark:text-blue-300">显示其余 {rest.length} 个</summary>
          {(opened || !hydrated) && (
            <ul>
              {rest.map((item) => (
                <Item key={item.value} item={item} />
              ))}
            </ul>
          )}
        </details>
      )}
    </section>
  );
}
