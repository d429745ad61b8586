"use client";
// Shares "a new search is on its way" between the search box (which starts
// it) and the results (which dim under a skeleton bar while it loads). Pages
// are rendered whole on the server, so nothing depends on this without JavaScript.
import { createContext, useContext, useState } from "react";

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
  return (
    <div aria-busy={pending} className="relative">
      {pending && (
        <div role="status" aria-label="正在加载结果" className="absolute inset-x-0 -top-1 h-0.5 overflow-hidden rounded bg-red-100 dark:bg-red-950">
          <div className="h-full w-1/3 animate-[loading_1s_ease-in-out_infinite] bg-red-600" />
        </div>
      )}
      <div className={`transition-opacity duration-150 ${pending ? "opacity-50" : "opacity-100"}`}>{children}</div>
    </div>
  );
}
