"use client";
// The search box: a plain GET form that works without JavaScript, enhanced to
// show results as you type. The URL follows the box (router.replace), a new
// query goes back to page 1, and typing through an input method (pinyin) waits
// until the characters are chosen.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { usePending } from "@/components/search/pending";
import { searchHref, type SearchState } from "@/lib/search/url";

// Short: a request per pause in typing is cheap here (a search takes a few ms).
const DEBOUNCE_MS = 40;

export function SearchBox({ state, autoFocus = false }: { state: SearchState; autoFocus?: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(state.q);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastPushed = useRef(state.q);
  const { setPending } = usePending();
  useEffect(() => setPending(pending), [pending, setPending]);

  const pushed = useRef(new Set<string>());
  // Back/forward and links change the URL: the box follows. A response to an
  // earlier keystroke arriving late must not put old text back while typing.
  useEffect(() => {
    if (state.q === lastPushed.current) return;
    if (document.activeElement === input.current && pushed.current.has(state.q)) return;
    lastPushed.current = state.q;
    setValue(state.q);
  }, [state.q]);

  // "/" anywhere focuses the box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !/^(INPUT|TEXTAREA|SELECT)$/u.test(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const go = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    if (q === lastPushed.current) return;
    lastPushed.current = q;
    pushed.current.add(q);
    const href = searchHref(state, { q });
    startTransition(() => (pathname === "/" ? router.replace(href, { scroll: false }) : router.push(href)));
  };

  const schedule = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => go(q), DEBOUNCE_MS);
  };

  return (
    <form
      action="/"
      method="get"
      role="search"
      className="relative flex w-full max-w-2xl items-center"
      onSubmit={(e) => {
        e.preventDefault();
        go(value);
        if (pathname !== "/") return;
        // Enter: open the first result when the results already match the box.
        const first = document.querySelector<HTMLAnchorElement>("[data-result-link]");
        if (first && value === state.q) first.focus();
      }}
    >
      <label htmlFor="q" className="sr-only">
        搜索文章
      </label>
      <input
        ref={input}
        id="q"
        name="q"
        type="search"
        value={value}
        autoFocus={autoFocus}
        autoComplete="off"
        enterKeyHint="search"
        placeholder="搜索标题和正文，如：三会一课、黨建工作、“全面从严治党”"
        aria-describedby="query-reading"
        className="h-11 w-full rounded-lg border border-zinc-300 bg-white pl-4 pr-20 text-base shadow-sm outline-none transition focus:border-red-600 focus:ring-2 focus:ring-red-600/30 dark:border-zinc-700 dark:bg-zinc-900"
        onChange={(e) => {
          setValue(e.target.value);
          if (!composing.current) schedule(e.target.value);
        }}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={(e) => {
          // Characters chosen in an input method are a finished word: search at once.
          composing.current = false;
          go((e.target as HTMLInputElement).value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            setValue("");
            go("");
          } else if (e.key === "ArrowDown") {
            const first = document.querySelector<HTMLAnchorElement>("[data-result-link]");
            if (first) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      />
      {/* Filters travel with the query when the form is submitted without JavaScript. */}
      {state.authors.map((a) => (
        <input key={`a-${a}`} type="hidden" name="author" value={a} />
      ))}
      {state.sources.map((s) => (
        <input key={`s-${s}`} type="hidden" name="source" value={s} />
      ))}
      {state.from && <input type="hidden" name="from" value={state.from} />}
      {state.to && <input type="hidden" name="to" value={state.to} />}
      {state.sort !== "relevance" && <input type="hidden" name="sort" value={state.sort} />}
      <span aria-hidden className={`pointer-events-none absolute right-16 h-2 w-2 rounded-full bg-red-600 transition-opacity ${pending ? "opacity-100 animate-pulse" : "opacity-0"}`} />
      <button type="submit" className="absolute right-1.5 h-8 rounded-md bg-red-700 px-3 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700">
        搜索
      </button>
    </form>
  );
}
