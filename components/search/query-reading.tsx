import type { QueryReading as Reading } from "@/lib/search/engine/types";

/** How the query was read: its normalised form and the words it was cut into, so people see why something matched. */
export function QueryReading({ raw, reading }: { raw: string; reading: Reading }) {
  const pieces = [
    ...reading.words.map((w) => ({ key: `w-${w}`, text: w, kind: "word" as const })),
    ...reading.phrases.map((p) => ({ key: `p-${p}`, text: `“${p}”`, kind: "phrase" as const })),
    ...reading.excluded.map((e) => ({ key: `e-${e}`, text: `−${e}`, kind: "excluded" as const })),
  ];
  if (!raw.trim()) return <p id="query-reading" className="sr-only">输入关键词开始搜索</p>;
  return (
    <p id="query-reading" className="text-sm text-zinc-500 dark:text-zinc-400">
      <span>查询词：</span>
      {reading.normalized !== raw.trim() && (
        <>
          <span lang="zh-CN">{raw.trim()}</span> <span aria-hidden>→</span>{" "}
        </>
      )}
      {pieces.length === 0 ? (
        <span>没有可搜索的词</span>
      ) : (
        pieces.map((p, i) => (
          <span key={p.key}>
            {i > 0 && <span aria-hidden className="px-1 text-zinc-400">·</span>}
            <span className={p.kind === "excluded" ? "text-zinc-400 line-through" : p.kind === "phrase" ? "text-zinc-700 dark:text-zinc-200" : "text-zinc-700 dark:text-zinc-200"}>{p.text}</span>
          </span>
        ))
      )}
      {reading.expanded.length > 0 && (
        <span data-testid="query-expanded">
          <span aria-hidden className="px-1 text-zinc-400">·</span>
          同时搜索同义词：
          {reading.expanded.map((e, i) => (
            <span key={e.term}>
              {i > 0 && "；"}
              <span className="text-zinc-700 dark:text-zinc-200">{e.term}</span> = {e.synonyms.join("、")}
            </span>
          ))}
          （原词优先）
        </span>
      )}
    </p>
  );
}
