import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-xl font-semibold">找不到这个页面</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-300">链接可能有误，或者文章已经不在文库中。</p>
      <Link prefetch={false} href="/" className="mt-6 inline-block text-blue-800 underline dark:text-blue-300">
        回到搜索
      </Link>
    </main>
  );
}
