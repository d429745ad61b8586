// 素材夹: named collections of excerpts (a paragraph, or a whole article),
// kept in the browser's localStorage: they survive reloads, need no account,
// and never leave the reader's machine unless exported. Pure functions over
// the stored state, and its loading and saving.

export interface Excerpt {
  /** This excerpt's own id (the same paragraph may be collected twice, with different notes). */
  id: string;
  articleId: string;
  title: string;
  author: string | null;
  source: string | null;
  date: string | null;
  /** The paragraph (1-based, the reading page's #p12), or null for the whole article. */
  paragraph: number | null;
  text: string;
  /** The article's GB/T 7714-2015 citation, as the reading page gave it. */
  citation: string;
  /** The reading page (at the paragraph), absolute. */
  link: string;
  note: string;
  addedAt: string;
}

export interface Collection {
  id: string;
  name: string;
  items: Excerpt[];
}

export interface CollectionStore {
  version: 1;
  /** The collection new excerpts go to. */
  active: string;
  collections: Collection[];
}

export const STORAGE_KEY = "dangjian.collections.v1";
export const DEFAULT_NAME = "我的素材";

const newId = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function emptyStore(): CollectionStore {
  const first = { id: newId(), name: DEFAULT_NAME, items: [] };
  return { version: 1, active: first.id, collections: [first] };
}

/** A stored value as a store: anything else (missing, damaged, another version) is an empty one, never an error. */
export function parseStore(raw: string | null): CollectionStore {
  try {
    const v = raw ? (JSON.parse(raw) as CollectionStore) : null;
    if (!v || v.version !== 1 || !Array.isArray(v.collections) || v.collections.length === 0) return emptyStore();
    const collections = v.collections.filter((c) => c && typeof c.id === "string" && typeof c.name === "string" && Array.isArray(c.items));
    if (collections.length === 0) return emptyStore();
    return { version: 1, active: collections.some((c) => c.id === v.active) ? v.active : collections[0].id, collections };
  } catch {
    return emptyStore();
  }
}

export function loadStore(): CollectionStore {
  return parseStore(window.localStorage.getItem(STORAGE_KEY));
}

/** Saves, and tells other tabs (the storage event) and this one (a `collections` event). */
export function saveStore(store: CollectionStore): void {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(store));
  window.dispatchEvent(new Event("collections"));
}

const mapActive = (s: CollectionStore, id: string, f: (c: Collection) => Collection): CollectionStore => ({ ...s, collections: s.collections.map((c) => (c.id === id ? f(c) : c)) });

export function addExcerpt(s: CollectionStore, e: Omit<Excerpt, "id" | "addedAt" | "note">, now = new Date()): CollectionStore {
  return mapActive(s, s.active, (c) => ({ ...c, items: [...c.items, { ...e, id: newId(), note: "", addedAt: now.toISOString() }] }));
}

export function createCollection(s: CollectionStore, name: string): CollectionStore {
  const c = { id: newId(), name: name.trim() || DEFAULT_NAME, items: [] };
  return { ...s, active: c.id, collections: [...s.collections, c] };
}

export function renameCollection(s: CollectionStore, id: string, name: string): CollectionStore {
  return mapActive(s, id, (c) => ({ ...c, name: name.trim() || c.name }));
}

/** Deletes a collection; the last one is emptied instead (there is always one to collect into). */
export function deleteCollection(s: CollectionStore, id: string): CollectionStore {
  const rest = s.collections.filter((c) => c.id !== id);
  if (rest.length === 0) return emptyStore();
  return { ...s, active: s.active === id ? rest[0].id : s.active, collections: rest };
}

export function setActive(s: CollectionStore, id: string): CollectionStore {
  return s.collections.some((c) => c.id === id) ? { ...s, active: id } : s;
}

/** Moves an excerpt up (−1) or down (+1) within its collection. */
export function moveExcerpt(s: CollectionStore, collectionId: string, excerptId: string, by: -1 | 1): CollectionStore {
  return mapActive(s, collectionId, (c) => {
    const i = c.items.findIndex((e) => e.id === excerptId);
    const j = i + by;
    if (i < 0 || j < 0 || j >= c.items.length) return c;
    const items = [...c.items];
    [items[i], items[j]] = [items[j], items[i]];
    return { ...c, items };
  });
}

export function setNote(s: CollectionStore, collectionId: string, excerptId: string, note: string): CollectionStore {
  return mapActive(s, collectionId, (c) => ({ ...c, items: c.items.map((e) => (e.id === excerptId ? { ...e, note } : e)) }));
}

export function removeExcerpt(s: CollectionStore, collectionId: string, excerptId: string): CollectionStore {
  return mapActive(s, collectionId, (c) => ({ ...c, items: c.items.filter((e) => e.id !== excerptId) }));
}

/** A collection as Markdown: each excerpt quoted, its note, then its citation (numbered) and link. */
export function collectionMarkdown(c: Collection): string {
  const md = (t: string) => t.replace(/([\\`*_[\]<>#])/gu, "\\$1");
  const blocks = c.items.map((e, i) => {
    const quote = e.text
      .split("\n")
      .map((line) => `> ${md(line)}`)
      .join("\n>\n");
    const note = e.note.trim() ? `\n\n批注：${md(e.note.trim())}` : "";
    return `## ${i + 1}. ${md(e.title)}${e.paragraph ? `（第 ${e.paragraph} 段）` : "（全文）"}\n\n${quote}${note}\n\n出处：[${i + 1}] ${md(e.citation)}\n\n链接：<${e.link}>`;
  });
  return `# ${md(c.name)}\n\n${blocks.join("\n\n---\n\n")}\n`;
}
