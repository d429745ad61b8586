import Link from "next/link";

export default function ArticleNotFound() {
  return (
    <main className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-xl font-semibold">找不到这篇文章</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-300">文章编号可能有误，或者这篇文章已经不在文库中。</p>
      <Link prefetch={false} href="/" className="mt-6 inline-block text-blue-800 underline dark:text-blue-300">
        去搜索文章
      </Link>
    </main>
  );
}
