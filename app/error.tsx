"use client";
// Something failed while rendering: say so, keep the query, offer to try again.
// The way home is a plain link (a full load is the right way out of an error, and next/link here put a third copy
// of its ~4 KB of code into the first load of every page: this boundary's chunk is separate from the page's).
import { useSearchParams } from "next/navigation";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  return (
    <main className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-xl font-semibold">搜索暂时出错了</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-300">{q ? <>“{q}”的结果没能显示出来。</> : "页面没能显示出来。"}请稍后再试。</p>
      <form action="/" method="get" role="search" className="mt-6 flex gap-2">
        <label htmlFor="q-error" className="sr-only">
          搜索文章
        </label>
        <input id="q-error" name="q" defaultValue={q} className="h-10 flex-1 rounded border border-zinc-300 px-3 dark:border-zinc-700 dark:bg-zinc-900" />
        <button type="submit" className="h-10 rounded bg-red-700 px-4 text-white">
          搜索
        </button>
      </form>
      <div className="mt-4 flex gap-4 text-sm">
        <button type="button" onClick={reset} className="text-blue-800 underline dark:text-blue-300">
          重试
        </button>
        <a href="/" className="text-blue-800 underline dark:text-blue-300">
          回到首页
        </a>
      </div>
    </main>
  );
}
