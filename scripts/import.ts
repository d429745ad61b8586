// npm run import -- <url | sitemap.xml | feed | file of URLs> … [--follow PATTERN] [--depth N]
//   [--delay MS] [--max-pages N] [--content DIR]
// Fetches pages politely into <content>/imported/<host>/… (see
// lib/content/importer/importer.ts); then `npm run index` makes them searchable.
import { contentDir } from "@/lib/content/ingest";
import { describeImport, runImport } from "@/lib/content/importer/importer";

function usage(message?: string): never {
  if (message) console.error(`import: ${message}`);
  console.error("usage: npm run import -- <url | sitemap.xml | RSS/Atom feed | file of URLs> … [--follow PATTERN] [--depth N] [--delay MS] [--max-pages N] [--content DIR]");
  process.exit(2);
}

const args = process.argv.slice(2);
const inputs: string[] = [];
const options: { follow?: string; depth?: number; delay?: number; maxPages?: number; content?: string } = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => args[++i] ?? usage(`${a} needs a value`);
  const whole = (name: string) => {
    const v = value();
    if (!/^\d+$/u.test(v)) usage(`${name} must be a whole number, not ${JSON.stringify(v)}`);
    return Number(v);
  };
  if (a === "--follow") {
    options.follow = value();
    try {
      new RegExp(options.follow, "u");
    } catch (e) {
      usage(`--follow: not a regular expression (${(e as Error).message})`);
    }
  } else if (a === "--depth") options.depth = whole("--depth");
  else if (a === "--delay") options.delay = whole("--delay");
  else if (a === "--max-pages") options.maxPages = whole("--max-pages");
  else if (a === "--content") options.content = value();
  else if (a === "--help" || a === "-h") usage();
  else if (a.startsWith("--")) usage(`unknown option ${a}`);
  else inputs.push(a);
}
if (inputs.length === 0) usage("give at least one URL, sitemap, feed or file of URLs");

void (async () => {
  let done = 0;
  const summary = await runImport(inputs, {
    contentDir: options.content ?? contentDir(),
    follow: options.follow,
    depth: options.depth,
    maxPages: options.maxPages,
    limits: options.delay !== undefined ? { delayMs: options.delay } : {},
    onPage: (url, outcome) => {
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r${done} pages (${outcome}: ${url.slice(0, 80)})\u001b[K`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  console.log(describeImport(summary));
  process.exitCode = summary.failed.length > 0 && summary.fetched.length + summary.unchanged.length === 0 ? 1 : 0;
})();
