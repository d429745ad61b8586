import { notFound } from "next/navigation";
import { loadSearchIndex } from "@/lib/search/server";

export const dynamic = "force-dynamic";

export default async function ArticlePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const article = (await loadSearchIndex()).get(decodeURIComponent(id));
  if (!article) notFound();
  return (
    <main className="mx-auto max-w-[38em] px-4 py-8">
      <h1 className="text-2xl font-semibold leading-snug">{article.title}</h1>
      <p className="mt-2 text-sm text-zinc-500">{[article.author, article.source, article.date].filter(Boolean).join(" · ")}</p>
      <article className="mt-6 space-y-4 text-[17px] leading-[1.9]">
        {article.body.split("\n").map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </article>
    </main>
  );
}
