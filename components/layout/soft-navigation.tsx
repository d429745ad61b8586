"use client";
// Client-side navigation for plain links. The search page writes its results,
// facet values and timeline as HTML strings, and its other links as plain
// <a> elements: next/link's component cost the server a render of its own
// for each of the page's ~100 links. One listener on the document does what
// those links did in the browser: a plain left click on a link to one of the
// reader's pages is a navigation of the app router (the page's RSC payload,
// no reload); anything else — a new tab, a download, another site, a file or
// feed, the back office — is left to the browser. Without JavaScript every
// link is a normal link.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** The reader's pages (app/): a link to one of these is navigated in the page. */
export function isSoftPath(pathname: string): boolean {
  return pathname === "/" || pathname === "/advanced" || pathname === "/trends" || pathname === "/collections" || /^\/articles\/[^/]+$/u.test(pathname);
}

/** The in-app path a click on `a` should navigate to, or null when the browser should follow it itself. */
export function softTarget(a: HTMLAnchorElement, here: Location, event: Pick<MouseEvent, "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey" | "defaultPrevented">): string | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  if ((a.target && a.target !== "_self") || a.hasAttribute("download")) return null;
  const url = new URL(a.href, here.href);
  if (url.origin !== here.origin || !isSoftPath(url.pathname)) return null;
  // A link within the page (#p12, #main) is the browser's to follow.
  if (url.hash && url.pathname === here.pathname && url.search === here.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

export function SoftNavigation() {
  const router = useRouter();
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!(a instanceof HTMLAnchorElement)) return;
      const target = softTarget(a, window.location, e);
      if (target === null) return;
      e.preventDefault();
      router.push(target);
    };
    // Bubbling, on the document: React's own handlers (next/link's among them) run first and may have taken the click.
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [router]);
  return null;
}
