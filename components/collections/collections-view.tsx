"use client";
// The 素材夹 page: the collections kept in this browser, each excerpt with
// its note and citation; reorder, remove, rename; export as Word (.docx) or
// Markdown, or print.
import Link from "next/link";
import { useState } from "react";
import { useCollectionStore } from "@/components/collections/use-collection-store";
import {
  collectionMarkdown,
  createCollection,
  deleteCollection,
  loadStore,
  moveExcerpt,
  removeExcerpt,
  renameCollection,
  saveStore,
  setActive,
  setNote,
  type Collection,
  type CollectionStore,
} from "@/lib/search/client/collections";

/** Offers a file to save. */
function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fileBase = (c: Collection) => `素材夹-${c.name.replace(/[\\/:*?"<>|]+/gu, " ").trim() || "未命名"}-${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`;

export function CollectionsView() {
  const store = useCollectionStore();
  const [busy, setBusy] = useState(false);
  if (!store) return <p className="mt-6 text-zinc-500">正在读取本机保存的素材夹…</p>;
  const change = (f: (s: CollectionStore) => CollectionStore) => saveStore(f(loadStore()));
  const c = store.collections.find((x) => x.id === store.active)!;
  const control = "h-9 rounded-md border border-zinc-300 bg-white px-3 text-sm hover:bg-zinc-50 disabled:opacity-40 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";
  return (
    <div className="mt-4">
      <div className="no-print flex flex-wrap items-center gap-2" data-testid="collections-bar">
        <label className="flex items-center gap-1 text-sm">
          素材夹
          <select className={control} value={store.active} onChange={(e) => change((s) => setActive(s, e.target.value))} data-testid="collections-select">
            {store.collections.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}（{x.items.length}）
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={control} onClick={() => change((s) => createCollection(s, `素材夹 ${s.collections.length + 1}`))}>
          新建
        </button>
        <button
          type="button"
          className={control}
          onClick={() => {
            const name = window.prompt("新名称", c.name);
            if (name !== null) change((s) => renameCollection(s, c.id, name));
          }}
        >
          重命名
        </button>
        <button type="button" className={control} onClick={() => window.confirm(`删除“${c.name}”和其中 ${c.items.length} 条摘录？`) && change((s) => deleteCollection(s, c.id))}>
          删除
        </button>
        <span className="mx-2 h-6 w-px bg-zinc-300 dark:bg-zinc-700" aria-hidden="true" />
        <button
          type="button"
          className={control}
          disabled={c.items.length === 0 || busy}
          data-testid="export-docx"
          onClick={async () => {
            setBusy(true);
            try {
              const [{ Packer }, { collectionDocument }] = await Promise.all([import("docx"), import("@/lib/search/client/collection-docx")]);
              download(`${fileBase(c)}.docx`, await Packer.toBlob(collectionDocument(c)));
            } finally {
              setBusy(false);
            }
          }}
        >
          导出 Word
        </button>
        <button type="button" className={control} disabled={c.items.length === 0} data-testid="export-markdown" onClick={() => download(`${fileBase(c)}.md`, new Blob([collectionMarkdown(c)], { type: "text/markdown;charset=utf-8" }))}>
          导出 Markdown
        </button>
        <button type="button" className={control} disabled={c.items.length === 0} onClick={() => window.print()}>
          打印
        </button>
      </div>
      <h2 className="mt-6 text-xl font-semibold" data-testid="collection-name-heading">
        {c.name}
      </h2>
      {c.items.length === 0 ? (
        <p className="mt-3 text-zinc-600 dark:text-zinc-300">
          还没有摘录。在文章页每段后点“摘录”，或点“收藏全文”，内容会保存在本机浏览器里。{" "}
          <Link prefetch={false} href="/" className="text-blue-800 underline dark:text-blue-300">
            去搜索
          </Link>
        </p>
      ) : (
        <ol className="mt-4 space-y-6" data-testid="excerpts">
          {c.items.map((e, i) => (
            <li key={e.id} className="excerpt border-b border-zinc-200 pb-5 dark:border-zinc-800" data-testid="excerpt">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-medium">
                  {i + 1}.{" "}
                  <a href={e.link} className="text-blue-800 underline underline-offset-4 dark:text-blue-300">
                    {e.title}
                  </a>
                  <span className="ml-2 text-sm font-normal text-zinc-500">{e.paragraph ? `第 ${e.paragraph} 段` : "全文"}</span>
                </h3>
                <span className="no-print flex gap-1">
                  <button type="button" className={control} disabled={i === 0} onClick={() => change((s) => moveExcerpt(s, c.id, e.id, -1))} aria-label={`上移第 ${i + 1} 条`}>
                    ↑
                  </button>
                  <button type="button" className={control} disabled={i === c.items.length - 1} onClick={() => change((s) => moveExcerpt(s, c.id, e.id, 1))} aria-label={`下移第 ${i + 1} 条`}>
                    ↓
                  </button>
                  <button type="button" className={control} onClick={() => change((s) => removeExcerpt(s, c.id, e.id))} aria-label={`删除第 ${i + 1} 条`}>
                    删除
                  </button>
                </span>
              </div>
              <blockquote className="reading mt-2 whitespace-pre-line border-l-4 border-red-700/40 pl-4 text-[17px] leading-[1.9]">{e.text}</blockquote>
              <label className="no-print mt-2 block text-sm">
                批注
                <textarea
                  className="mt-1 block w-full rounded-md border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                  rows={2}
                  defaultValue={e.note}
                  onBlur={(ev) => change((s) => setNote(s, c.id, e.id, ev.target.value))}
                  data-testid="excerpt-note"
                />
              </label>
              {e.note.trim() && <p className="print-only mt-1 text-sm italic">批注：{e.note}</p>}
              <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300" data-testid="excerpt-citation">
                [{i + 1}] {e.citation}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
