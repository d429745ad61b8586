// HTML compared as a browser's parser reads it, for the parts of pages written
// as HTML strings instead of React elements (tests/unit/reading-body.test.ts,
// tests/unit/search-page-html.test.ts).
import * as cheerio from "cheerio";

/** A document as a browser's parser reads it: each element with its attributes in name order, text nodes joined. */
export function canonical(html: string, options: { dropAttributes?: string[] } = {}): unknown {
  const $ = cheerio.load(`<div id="root">${html}</div>`, null, false);
  const walk = (node: ReturnType<typeof $>[number]): unknown => {
    if (node.type === "text") return node.data;
    if (node.type !== "tag") return null;
    const attrs = Object.entries(node.attribs).filter(([k]) => !options.dropAttributes?.includes(k)).sort(([a], [b]) => (a < b ? -1 : 1));
    const children: unknown[] = [];
    for (const c of node.children) {
      const v = walk(c as never);
      if (typeof v === "string" && typeof children.at(-1) === "string") children[children.length - 1] += v;
      else if (v !== null && v !== "") children.push(v);
    }
    return [node.name, attrs, children];
  };
  return walk($("#root")[0]);
}
