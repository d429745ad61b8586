import Link from "next/link";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const index = await loadSearchIndex();
  const res = index.search({ q: "", authors: [], sources: [], from: null, to: null, sort: "newest", page: 1, size: 100 });
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold">党建文库</h1>
      <p className="mt-1 text-sm text-zinc-500">共 {res.total} 篇文章</p>
      <ul className="mt-6 divide-y divide-zinc-200 dark:divide-zinc-800">
        {res.hits.map((a) => (
          <li key={a.id} className="py-3">
            <Link href={`/articles/${encodeURIComponent(a.id)}`} className="text-lg text-blue-700 hover:underline dark:text-blue-400">
              {a.title}
            </Link>
            <p className="text-sm text-zinc-500">{[a.author, a.source, a.date].filter(Boolean).join(" · ")}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
