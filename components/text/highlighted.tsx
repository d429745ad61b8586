import type { Parts } from "@/lib/search/engine/highlight";

/** Renders highlight parts as text with <mark> around matches. Text stays text: nothing in an article is ever parsed as HTML. */
export function Highlighted({ parts, markClassName = "", markIdPrefix, firstMark = 0 }: { parts: Parts; markClassName?: string; markIdPrefix?: string; firstMark?: number }) {
  let n = firstMark;
  return (
    <>
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} data-match="" id={markIdPrefix ? `${markIdPrefix}${n++}` : undefined} className={`rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40 ${markClassName}`}>
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
