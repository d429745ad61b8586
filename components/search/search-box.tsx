"use client";
// The search box: a plain GET form that works without JavaScript, enhanced to
// show results as you type: on the search page its view fetches the results
// from /api/search (`instant`) and the URL follows; elsewhere typing navigates
// to the search page. A new query goes back to page 1, and typing through an
// input method (pinyin) waits until the characters are chosen. Suggestions (words, titles, and words for
// typed pinyin or initials) open below it as an ARIA combobox: arrow keys move
// through them, Enter searches the one chosen, Escape closes the list.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type KeyboardEvent, type RefObject } from "react";
import { usePending, useSlow } from "@/components/search/pending";
import type { Suggestion } from "@/lib/search/reader-aids/suggest";
import { searchHref, type SearchState } from "@/lib/search/client/url";

// Short: a request per pause in typing is cheap here (a search takes a few ms).
const DEBOUNCE_MS = 40;
const KIND_LABEL: Record<Suggestion["kind"], string> = { word: "词", title: "标题", pinyin: "拼音", initials: "首字母" };
const LIST_ID = "q-suggestions";

export function SearchBox({ state, autoFocus = false, instant }: { state: SearchState; autoFocus?: boolean; instant?: (next: SearchState) => void }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(state.q);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastPushed = useRef(state.q);
  const { pending: loading, setPending } = usePending();
  useEffect(() => setPending(pending), [pending, setPending]);
  const slow = useSlow(pending || loading);
  const { suggestions, open, active, setActive, fetchSuggestions, closeList } = useSuggestions(input);

  const pushed = useRef(new Set<string>());
  // Back/forward and links change the URL: the box follows. A response to an
  // earlier keystroke arriving late must not put old text back while typing.
  useEffect(() => {
    if (state.q === lastPushed.current) return;
    if (document.activeElement === input.current && pushed.current.has(state.q)) return;
    lastPushed.current = state.q;
    setValue(state.q);
  }, [state.q]);

  useSlashFocuses(input);

  const go = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    if (q === lastPushed.current) return;
    lastPushed.current = q;
    pushed.current.add(q);
    if (instant) return instant({ ...state, q, page: 1 });
    const href = searchHref(state, { q });
    startTransition(() => (pathname === "/" ? router.replace(href, { scroll: false }) : router.push(href)));
  };

  const schedule = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    // On the search page a keystroke is one small JSON request (an earlier one still on its way is dropped): no wait.
    timer.current = setTimeout(() => go(q), instant ? 0 : DEBOUNCE_MS);
    fetchSuggestions(q);
  };

  const choose = (s: Suggestion) => {
    setValue(s.text);
    closeList();
    go(s.text);
  };

  // With the list open: arrows move through it, Enter searches the chosen one, Escape closes it. Otherwise Escape
  // clears the box and ↓ moves to the results.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (open && suggestions.length > 0) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = suggestions.length;
        setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
        return;
      }
      if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        choose(suggestions[active]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        closeList();
        return;
      }
    }
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
  };

  return (
    <form
      action="/"
      method="get"
      role="search"
      className="relative flex w-full max-w-2xl items-center"
      onSubmit={(e) => {
        e.preventDefault();
        closeList();
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
        // A query is not prose: no red underlines under pinyin or names, and no spell checking at every keystroke.
        spellCheck={false}
        enterKeyHint="search"
        placeholder="搜索标题和正文，如：三会一课、黨建工作、“全面从严治党”"
        aria-describedby="query-reading"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={LIST_ID}
        aria-activedescendant={open && active >= 0 ? `${LIST_ID}-${active}` : undefined}
        onBlur={() => setTimeout(closeList, 120)}
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
          fetchSuggestions((e.target as HTMLInputElement).value);
        }}
        onKeyDown={onKeyDown}
      />
      <SuggestionList suggestions={suggestions} open={open} active={active} onChoose={choose} />
      {/* Filters travel with the query when the form is submitted without JavaScript. */}
      <FilterFields state={state} />
      <span aria-hidden className={`pointer-events-none absolute right-16 h-2 w-2 rounded-full bg-red-600 ${slow ? "opacity-100 animate-pulse" : "opacity-0"}`} />
      <button type="submit" className="absolute right-1.5 h-8 rounded-md bg-red-700 px-3 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700">
        搜索
      </button>
    </form>
  );
}

/** Suggestions for what is being typed (/api/suggest; a newer request drops the one before), and whether the list is open. */
function useSuggestions(input: RefObject<HTMLInputElement | null>) {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const suggestAbort = useRef<AbortController | null>(null);

  const fetchSuggestions = (q: string) => {
    suggestAbort.current?.abort();
    if (!q.trim()) {
      setSuggestions([]);
      setOpen(false);
      return;
    }
    const ctrl = new AbortController();
    suggestAbort.current = ctrl;
    fetch(`/api/suggest?q=${encodeURIComponent(q)}`, { signal: ctrl.signal })
      .then((r) => (r.ok ? r.json() : { suggestions: [] }))
      .then((body: { suggestions: Suggestion[] }) => {
        if (ctrl.signal.aborted) return;
        setSuggestions(body.suggestions);
        setActive(-1);
        setOpen(body.suggestions.length > 0 && document.activeElement === input.current);
      })
      .catch(() => undefined);
  };

  const closeList = () => {
    suggestAbort.current?.abort();
    setOpen(false);
    setActive(-1);
  };
  return { suggestions, open, active, setActive, fetchSuggestions, closeList };
}

/** "/" anywhere (but in a field) focuses the box. */
function useSlashFocuses(input: RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !/^(INPUT|TEXTAREA|SELECT)$/u.test(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [input]);
}

/** The combobox's list (an ARIA listbox); a click chooses without taking the focus from the box. */
function SuggestionList({ suggestions, open, active, onChoose }: { suggestions: Suggestion[]; open: boolean; active: number; onChoose: (s: Suggestion) => void }) {
  return (
    <ul
      id={LIST_ID}
      role="listbox"
      aria-label="搜索建议"
      hidden={!open}
      className="absolute left-0 right-0 top-12 z-30 max-h-96 overflow-auto rounded-lg border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      {open &&
        suggestions.map((s, i) => (
          <li
            key={`${s.kind}-${s.text}`}
            id={`${LIST_ID}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`flex cursor-pointer items-center justify-between gap-3 px-4 py-2 text-[15px] ${i === active ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onChoose(s)}
          >
            <span className="min-w-0 truncate">{s.text}</span>
            <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-300">
              {KIND_LABEL[s.kind]} · {s.articles} 篇
            </span>
          </li>
        ))}
    </ul>
  );
}

/** The filters as hidden fields, so that they travel with the query when the form is submitted without JavaScript. */
function FilterFields({ state }: { state: SearchState }) {
  return (
    <>
      {state.authors.map((a) => (
        <input key={`a-${a}`} type="hidden" name="author" value={a} />
      ))}
      {state.sources.map((s) => (
        <input key={`s-${s}`} type="hidden" name="source" value={s} />
      ))}
      {state.from && <input type="hidden" name="from" value={state.from} />}
      {state.to && <input type="hidden" name="to" value={state.to} />}
      {state.sort !== "relevance" && <input type="hidden" name="sort" value={state.sort} />}
      {state.group === "0" && <input type="hidden" name="group" value="0" />}
    </>
  );
}
