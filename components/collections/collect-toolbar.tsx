"use client";
// The reading page's 素材夹 bar: which collection excerpts go to, 收藏全文,
// and the 摘录 button of every paragraph (rendered with the page, shown once
// this runs: collections live in the browser and need JavaScript).
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { useCollectionStore } from "@/components/collections/use-collection-store";
import { addExcerpt, createCollection, loadStore, saveStore, setActive } from "@/lib/search/client/collections";

export interface CollectedArticle {
  id: string;
  title: string;
  author: string | null;
  source: string | null;
  date: string | null;
  citation: string;
}

const NEW = "__new__";

export function CollectToolbar({ article }: { article: CollectedArticle }) {
  const store = useCollectionStore();
  const [status, setStatus] = useState("");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");

  // The paragraphs' 摘录 buttons show once this runs (globals.css).
  useEffect(() => {
    document.documentElement.dataset.collect = "on";
    return () => void delete document.documentElement.dataset.collect;
  }, []);

  const collect = useCallback(
    (paragraph: number | null) => {
      const current = loadStore();
      let text: string;
      if (paragraph === null) text = [...document.querySelectorAll<HTMLElement>(".reading [data-paragraph-text]")].map((el) => el.textContent ?? "").join("\n");
      else text = document.querySelector(`#p${paragraph} [data-paragraph-text]`)?.textContent ?? "";
      const link = `${window.location.origin}/articles/${encodeURIComponent(article.id)}${paragraph ? `#p${paragraph}` : ""}`;
      const next = addExcerpt(current, { articleId: article.id, title: article.title, author: article.author, source: article.source, date: article.date, paragraph, text, citation: article.citation, link });
      saveStore(next);
      const into = next.collections.find((c) => c.id === next.active)!;
      setStatus(`已${paragraph ? `摘录第 ${paragraph} 段` : "收藏全文"}到“${into.name}”（共 ${into.items.length} 条）`);
    },
    [article],
  );

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-excerpt]");
      if (button) collect(Number(button.dataset.excerpt));
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [collect]);

  if (!store) return null;
  const active = store.collections.find((c) => c.id === store.active)!;
  const control = "h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <div className="no-print mt-4 flex flex-wrap items-center gap-2 text-sm" data-testid="collect-toolbar">
      <label className="flex items-center gap-1">
        素材夹
        <select
          className={control}
          value={store.active}
          onChange={(e) => {
            if (e.target.value === NEW) return setNaming(true);
            const next = setActive(loadStore(), e.target.value);
            saveStore(next);
          }}
          data-testid="collection-select"
        >
          {store.collections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}（{c.items.length}）
            </option>
          ))}
          <option value={NEW}>新建素材夹…</option>
        </select>
      </label>
      {naming && (
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            saveStore(createCollection(loadStore(), name));
            setNaming(false);
            setName("");
          }}
        >
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="素材夹名称" aria-label="新素材夹名称" className={control} data-testid="collection-name" />
          <button type="submit" className={control}>
            建立
          </button>
        </form>
      )}
      <button type="button" className={control} onClick={() => collect(null)} data-testid="collect-article">
        收藏全文
      </button>
      <Link prefetch={false} href="/collections" className="text-blue-800 underline underline-offset-4 dark:text-blue-300">
        打开“{active.name}”
      </Link>
      <span aria-live="polite" className="text-zinc-600 dark:text-zinc-300" data-testid="collect-status">
        {status}
      </span>
    </div>
  );
}
