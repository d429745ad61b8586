// What a running server answers over HTTP, for tests that hold two servers'
// answers equal (memory vs PostgreSQL, one database vs several).
import { expect } from "vitest";
import { QUERY_SET } from "./query-set";

/** What a server answers to the fixed query set and to every article's reading view, timing left out. */
export async function responses(base: string, ids: string[]): Promise<unknown> {
  const searches = [];
  for (const r of QUERY_SET) {
    const p = new URLSearchParams({ q: r.q, sort: r.sort, page: String(r.page), size: String(r.size) });
    for (const a of r.authors) p.append("author", a);
    for (const s of r.sources) p.append("source", s);
    if (r.from) p.set("from", r.from);
    if (r.to) p.set("to", r.to);
    const res = await fetch(`${base}/api/search?${p}`);
    expect(res.status).toBe(200);
    searches.push({ ...(await res.json()), tookMs: 0 });
  }
  const articles = [];
  for (const id of ids) {
    const res = await fetch(`${base}/api/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("党建 学习")}`);
    expect(res.status).toBe(200);
    articles.push(await res.json());
  }
  return { searches, articles };
}

export async function allIds(base: string): Promise<string[]> {
  const res = await fetch(`${base}/api/search?size=100&sort=oldest&group=0`);
  return ((await res.json()) as { hits: Array<{ id: string }> }).hits.map((h) => h.id);
}
