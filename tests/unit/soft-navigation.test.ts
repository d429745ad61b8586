// Which clicks on plain links SoftNavigation turns into navigations of the app router, and which it leaves to the browser.
import { describe, expect, it } from "vitest";
import { isSoftPath, softTarget } from "@/components/layout/soft-navigation";

const here = { href: "https://wenku.example/?q=%E5%85%9A%E5%BB%BA", origin: "https://wenku.example", pathname: "/", search: "?q=%E5%85%9A%E5%BB%BA" } as Location;
const plain = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
const link = (href: string, attrs: Record<string, string> = {}) => ({ href, target: attrs.target ?? "", hasAttribute: (n: string) => n in attrs }) as unknown as HTMLAnchorElement;

describe("soft navigation", () => {
  it("navigates the reader's pages in the app", () => {
    expect(softTarget(link("https://wenku.example/?q=%E5%85%9A%E5%BB%BA&author=%E7%8E%8B"), here, plain)).toBe("/?q=%E5%85%9A%E5%BB%BA&author=%E7%8E%8B");
    expect(softTarget(link("/articles/a-1?q=x#p3"), here, plain)).toBe("/articles/a-1?q=x#p3");
    expect(softTarget(link("/trends?q=x"), here, plain)).toBe("/trends?q=x");
    for (const p of ["/", "/advanced", "/trends", "/collections", "/articles/%E6%96%87-1"]) expect(isSoftPath(p)).toBe(true);
  });

  it("leaves files, feeds, downloads, the back office and other sites to the browser", () => {
    for (const href of ["/feed.xml?q=x", "/api/export?q=x&format=csv", "/articles/a-1/original", "/articles/a-1/qr", "/admin", "/opensearch.xml", "https://example.org/?q=x"]) {
      expect(softTarget(link(href), here, plain), href).toBeNull();
    }
    expect(softTarget(link("/articles/a-1", { download: "" }), here, plain)).toBeNull();
    expect(softTarget(link("/articles/a-1", { target: "_blank" }), here, plain)).toBeNull();
  });

  it("leaves a new tab, a modified click, a handled click and a link within the page alone", () => {
    for (const k of ["metaKey", "ctrlKey", "shiftKey", "altKey", "defaultPrevented"] as const) expect(softTarget(link("/?q=y"), here, { ...plain, [k]: true }), k).toBeNull();
    expect(softTarget(link("/?q=y"), here, { ...plain, button: 1 })).toBeNull();
    expect(softTarget(link("#main"), here, plain)).toBeNull();
    // The same page with another hash is within the page; another page with a hash is not.
    expect(softTarget(link("/?q=%E5%85%9A%E5%BB%BA#x"), here, plain)).toBeNull();
    expect(softTarget(link("/?q=other#x"), here, plain)).toBe("/?q=other#x");
  });
});
