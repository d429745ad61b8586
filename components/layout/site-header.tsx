import Link from "next/link";

export function SiteHeader({ children }: { children?: React.ReactNode }) {
  return (
    <header className="border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:gap-6">
        <Link prefetch={false} href="/" className="shrink-0 text-lg font-semibold tracking-wide text-red-700 dark:text-red-400">
          党建文库检索
        </Link>
        {children}
      </div>
    </header>
  );
}
