"use client";
// Shares "a new search is on its way" between the search box (which starts
// it) and the results (which dim under a skeleton bar while it loads). Pages
// are rendered whole on the server, so nothing depends on this without JavaScript.
//
// The dimming and the bar show only when an answer is slow (SLOW_MS): an
// answer here takes a few milliseconds, and while someone types, a bar and a
// fade restarted at every keystroke only flicker; on this 2-core machine
// they also kept Chromium compositing frames all through the typing, and
// results appeared ~30% later (scratch measurements in the issue notes).
import { createContext, useContext, useEffect, useState } from "react";

/** How long a search may take before the page says it is loading. */
const SLOW_MS = 250;

/** `busy`, but true only once it has lasted SLOW_MS; false again at once. */
export function useSlow(busy: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!busy) return setSlow(false);
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, [busy]);
  return busy && slow;
}

const PendingContext = createContext<{ pending: boolean; setPending: (p: boolean) => void }>({ pending: false, setPending: () => {} });
// The setter alone, which never changes: what starts a search does not re-render when loading starts and stops.
const SetPendingContext = createContext<(p: boolean) => void>(() => {});

export function PendingProvider({ children }: { children: React.ReactNode }) {
  const [pending, setPending] = useState(false);
  return (
    <SetPendingContext.Provider value={setPending}>
      <PendingContext.Provider value={{ pending, setPending }}>{children}</PendingContext.Provider>
    </SetPendingContext.Provider>
  );
}

export function useSetPending() {
  return useContext(SetPendingContext);
}

export function usePending() {
  return useContext(PendingContext);
}

export function ResultsArea({ children }: { children: React.ReactNode }) {
  const { pending } = usePending();
  const slow = useSlow(pending);
  return (
    <div aria-busy={pending} className="relative">
      {slow && (
        <div role="status" aria-label="正在加载结果" className="absolute inset-x-0 -top-1 h-0.5 overflow-hidden rounded bg-red-100 dark:bg-red-950">
          <div className="h-full w-1/3 animate-[loading_1s_ease-in-out_infinite] bg-red-600" />
        </div>
      )}
      <div className={slow ? "opacity-50 transition-opacity duration-150" : undefined}>{children}</div>
    </div>
  );
}
