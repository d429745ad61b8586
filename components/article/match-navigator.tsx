"use client";
// "Match 3 of 17" with previous/next: moves between the highlighted matches
// of the article (marks with ids m-0 … m-N), scrolling each into view.
// Keyboard: n / j next, p / k previous (when not typing in a field).
import { useCallback, useEffect, useState } from "react";

export function MatchNavigator({ total }: { total: number }) {
  const [current, setCurrent] = useState(-1);

  const show = useCallback(
    (i: number) => {
      if (total === 0) return;
      const next = ((i % total) + total) % total;
      document.querySelectorAll("mark[data-current]").forEach((m) => m.removeAttribute("data-current"));
      const mark = document.getElementById(`m-${next}`);
      if (mark) {
        mark.setAttribute("data-current", "");
        mark.scrollIntoView({ block: "center", behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
      }
      setCurrent(next);
    },
    [total],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/u.test(t.tagName) || t.isContentEditable) return;
      if (e.key === "n" || e.key === "j") {
        e.preventDefault();
        show(current + 1);
      } else if (e.key === "p" || e.key === "k") {
        e.preventDefault();
        show(current - 1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, show]);

  if (total === 0) return <p className="text-sm text-zinc-500">正文中没有匹配</p>;
  const button = "h-8 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-red-700 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <div className="flex items-center gap-2" role="group" aria-label="匹配导航">
      <span className="text-sm tabular-nums text-zinc-600 dark:text-zinc-300" aria-live="polite" data-testid="match-position">
        {current >= 0 ? `第 ${current + 1} / ${total} 处匹配` : `共 ${total} 处匹配`}
      </span>
      <button type="button" className={button} onClick={() => show(current - 1)} aria-keyshortcuts="p k" title="上一处（p 或 k）">
        上一处
      </button>
      <button type="button" className={button} onClick={() => show(current + 1)} aria-keyshortcuts="n j" title="下一处（n 或 j）">
        下一处
      </button>
    </div>
  );
}
