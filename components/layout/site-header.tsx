
export function SiteHeader({ children }: { children?: React.ReactNode }) {
  return (
    <header className="border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:gap-6">
        <a href="/" className="shrink-0 text-lg font-semibold tracking-wide text-red-700 dark:text-red-400">
          党建文库检索
        </a>
        {children}
        <nav aria-label="工具" className="flex shrink-0 gap-4 text-sm sm:ml-auto">
          <a href="/advanced" className="text-zinc-600 hover:text-red-700 dark:text-zinc-300">
            高级搜索
          </a>
          <a href="/trends" className="text-zinc-600 hover:text-red-700 dark:text-zinc-300">
            提法趋势
          </a>
          <a href="/collections" className="text-zinc-600 hover:text-red-700 dark:text-zinc-300">
            素材夹
          </a>
        </nav>
      </div>
    </header>
  );
}
