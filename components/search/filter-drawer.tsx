"use client";
// On phones the filters live in a drawer opened by a button; from md up they
// are a sidebar. Without JavaScript the panel is simply shown (see the
// <noscript> style in the page).
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

export function FilterDrawer({ children, activeCount }: { children: React.ReactNode; activeCount: number }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const params = useSearchParams();
  // Choosing a filter navigates: close the drawer on every URL change.
  useEffect(() => setOpen(false), [pathname, params]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-expanded={open}
        aria-controls="filters-panel"
        className="mb-3 inline-flex h-9 items-center gap-1.5 rounded-md border border-zinc-300 px-3 text-sm md:hidden dark:border-zinc-700"
      >
        筛选{activeCount > 0 && <span className="rounded-full bg-red-700 px-1.5 text-xs text-white">{activeCount}</span>}
      </button>
      {open && <div className="fixed inset-0 z-30 bg-black/40 md:hidden" aria-hidden onClick={() => setOpen(false)} />}
      <aside
        id="filters-panel"
        aria-label="筛选"
        className={`filters-panel md:block md:static md:z-auto md:w-auto md:translate-x-0 md:overflow-visible md:bg-transparent md:p-0 md:shadow-none ${
          open ? "fixed inset-y-0 left-0 z-40 block w-[85vw] max-w-sm overflow-y-auto bg-white p-4 shadow-xl dark:bg-zinc-950" : "hidden"
        }`}
      >
        <div className="mb-3 flex items-center justify-between md:hidden">
          <h2 className="text-base font-semibold">筛选</h2>
          <button type="button" onClick={() => setOpen(false)} className="rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
            关闭
          </button>
        </div>
        {children}
      </aside>
    </>
  );
}
