import type { QueryReading as Reading } from "@/lib/search/engine/types";

/** Each field as the page names it. */
const FIELD_LABELS: Record<Reading["fields"][number]["field"], string> = { title: "标题", body: "正文", author: "作者", source: "来源", docNumber: "文号" };
const withinLabel = (w: number | "sentence" | "paragraph") => (w === "sentence" ? "同句" : w === "paragraph" ? "同段" : `相距≤${w}字`);

/** How the query was read: its normalised form and the words it was cut into, so people see why something matched. */
export function QueryReading({ raw, reading }: { raw: string; reading: Reading }) {
  const pieces = [
    ...reading.words.map((w) => ({ key: `w-${w}`, text: w, kind: "word" as const })),
    ...reading.phrases.map((p) => ({ key: `p-${p}`, text: `“${p}”`, kind: "phrase" as const })),
    ...reading.fields.map((f) => ({
      key: `f-${f.excluded ? "-" : ""}${f.field}-${f.terms.join(" ")}`,
      text: `${f.excluded ? "−" : ""}${FIELD_LABELS[f.field]}：${f.terms.join(" ")}`,
      kind: f.excluded ? ("excluded" as const) : ("field" as const),
    })),
    ...reading.near.map((n) => ({
      key: `n-${n.terms.join("-")}-${n.within.join("-")}`,
      text: `${n.field ? `${FIELD_LABELS[n.field]}：` : ""}${n.terms.map((t, i) => (i === 0 ? t : ` ⟷${withinLabel(n.within[i - 1])}⟷ ${t}`)).join("")}`,
      kind: "near" as const,
    })),
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
            <span data-kind={p.kind} className={p.kind === "excluded" ? "text-zinc-400 line-through" : "text-zinc-700 dark:text-zinc-200"}>
              {p.text}
            </span>
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
