// `npm run search -- [--json] [--author A] [--source S] [--from D] [--to D] [--sort newest] [--page N] [--size N] "query"`
// Searches the built index (INDEX_DIR) from the command line, for people and scripts.
import type { Parts } from "@/lib/search/engine/highlight";
import { openIndex } from "@/lib/search/storage/disk-store";
import { ParamError, parseSearchParams } from "@/lib/search/serving/params";
import { loadQuerySegmenter } from "@/lib/text/segment";

const USAGE = 'usage: npm run search -- [--json] [--author A] [--source S] [--from D] [--to D] [--sort relevance|newest|oldest] [--page N] [--size N] "query"';
const VALUED = new Set(["author", "source", "from", "to", "sort", "page", "size"]);

function marked(parts: Parts): string {
  return parts.map((p) => (p.match ? `【${p.text}】` : p.text)).join("");
}

async function main() {
  const args = process.argv.slice(2);
  const params = new URLSearchParams();
  const words: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") json = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return;
    } else if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split("=", 2);
      if (!VALUED.has(name)) throw new ParamError(name, `unknown option --${name}\n${USAGE}`);
      const value = inline ?? args[++i];
      if (value === undefined) throw new ParamError(name, `--${name} needs a value`);
      params.append(name, value);
    } else words.push(a);
  }
  params.set("q", words.join(" "));
  const req = parseSearchParams(params);
  loadQuerySegmenter();
  const index = await openIndex();
  const res = index.search(req);
  if (json) {
    process.stdout.write(`${JSON.stringify(res)}\n`);
    return;
  }
  const reading = [
    ...res.query.words,
    ...res.query.phrases.map((p) => `"${p}"`),
    ...res.query.fields.map((f) => `${f.excluded ? "-" : ""}${f.field}:${f.terms.join(" ")}`),
    ...res.query.near.map((n) => n.terms.join(` NEAR `)),
    ...res.query.excluded.map((e) => `-${e}`),
  ].join(" · ");
  process.stdout.write(`${res.total} articles (${res.tookMs} ms)${reading ? ` for ${reading}` : ""}\n`);
  res.hits.forEach((h, i) => {
    const n = (req.page - 1) * req.size + i + 1;
    process.stdout.write(`\n${n}. ${marked(h.titleParts)}  [${h.id}]\n   ${[h.author, h.source, h.date].filter(Boolean).join(" · ")}\n`);
    for (const s of h.snippets) process.stdout.write(`   …${marked(s)}…\n`);
  });
}

main().catch((e) => {
  process.stderr.write(`search: ${(e as Error).message}\n`);
  process.exit(e instanceof ParamError ? 2 : 1);
});
