"use client";
// One click copies a citation; where the clipboard is refused, the text is selected for Ctrl+C.
import { useState } from "react";

export function CopyButton({ targetId, label }: { targetId: string; label: string }) {
  const [done, setDone] = useState<"" | "copied" | "selected">("");
  return (
    <button
      type="button"
      className="no-print h-7 rounded border border-zinc-300 px-2 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      data-testid={`copy-${targetId}`}
      onClick={async () => {
        const el = document.getElementById(targetId);
        if (!el) return;
        try {
          await navigator.clipboard.writeText(el.textContent ?? "");
          setDone("copied");
        } catch {
          const range = document.createRange();
          range.selectNodeContents(el);
          window.getSelection()?.removeAllRanges();
          window.getSelection()?.addRange(range);
          setDone("selected");
        }
      }}
    >
      {done === "copied" ? "已复制" : done === "selected" ? "已选中，按 Ctrl+C 复制" : label}
    </button>
  );
}
