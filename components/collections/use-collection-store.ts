"use client";
import { useEffect, useState } from "react";
import { loadStore, STORAGE_KEY, type CollectionStore } from "@/lib/search/client/collections";

/** The 素材夹 kept in this browser, kept current as this tab (a `collections` event) or another (a `storage` event) changes them; null until read. */
export function useCollectionStore(): CollectionStore | null {
  const [store, setStore] = useState<CollectionStore | null>(null);
  useEffect(() => {
    const reload = () => setStore(loadStore());
    reload();
    const onStorage = (e: StorageEvent) => e.key === STORAGE_KEY && reload();
    window.addEventListener("storage", onStorage);
    window.addEventListener("collections", reload);
    return () => {
      window.removeEventListener("storage", onStorage);
      window.removeEventListener("collections", reload);
    };
  }, []);
  return store;
}
