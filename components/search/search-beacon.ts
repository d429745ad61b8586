"use client";
// What readers search for, counted without slowing the page: a search is
// reported once the query has stood for a moment (typing "党", "党建"… is one
// search), a result opened is reported with its position, both by
// navigator.sendBeacon after the fact. Nothing identifies the reader.
import { useEffect } from "react";

const SETTLE_MS = 1500;

function beacon(body: Record<string, unknown>): void {
  try {
    navigator.sendBeacon?.("/api/analytics", new Blob([JSON.stringify(body)], { type: "application/json" }));
  } catch {
    /* never in the reader's way */
  }
}

export function useSearchBeacon(enabled: boolean, q: string, total: number, page: number, refused: boolean): void {
  useEffect(() => {
    if (!enabled || refused || page !== 1 || !q.trim()) return;
    const timer = setTimeout(() => beacon({ kind: "search", q, total }), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [enabled, q, total, page, refused]);
  useEffect(() => {
    if (!enabled || !q.trim()) return;
    const onClick = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.("a[data-result-link][data-position]");
      if (link) beacon({ kind: "click", q, position: Number(link.getAttribute("data-position")) });
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [enabled, q]);
}
