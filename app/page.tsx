import Link from "next/link";
import { libraryArticles } from "@/lib/content/library";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const articles = [...(await libraryArticles())].sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold">党建文库</h1>
      <p className="mt-1 text-sm text-zinc-500">共 {articles.length} 篇文章</p>
      <ul className="mt-6 divide-y divide-zinc-200 dark:divide-zinc-800">
        {articles.map((a) => (
          <li key={a.id} className="py-3">
            <Link href={`/articles/${encodeURIComponent(a.id)}`} className="text-lg text-blue-700 hover:underline dark:text-blue-400">
              {a.title}
            </Link>
            <p className="text-sm text-zinc-500">
              {[a.authors.join("、"), a.source, a.date].filter(Boolean).join(" · ")}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
