// `npm run ingest -- [--json] [file-or-folder…]`: preview what the content
// pipeline makes of some files. With --json, one JSON object per article on
// stdout (a stable format other tools read); problems and the summary go to stderr.
import { toPreview } from "@/lib/content/article";
import { formatProblem } from "@/lib/content/errors";
import { contentDir, ingest } from "@/lib/content/ingest";

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const targets = args.filter((a) => a !== "--json");
  if (targets.some((t) => t.startsWith("--"))) {
    process.stderr.write(`ingest: unknown option ${targets.find((t) => t.startsWith("--"))}\nusage: npm run ingest -- [--json] [file-or-folder…]\n`);
    process.exit(2);
  }
  const started = performance.now();
  const result = await ingest(targets.length ? targets : [contentDir()]);
  const seconds = (performance.now() - started) / 1000;
  if (json) {
    const out: string[] = [];
    for (const a of result.articles) out.push(JSON.stringify(toPreview(a)));
    if (out.length) process.stdout.write(out.join("\n") + "\n");
  } else {
    for (const a of result.articles) {
      process.stdout.write(`${a.id}\t${a.date ?? "----------"}\t${a.script}\t${a.title}\n`);
    }
  }
  for (const p of result.errors) process.stderr.write(`error: ${formatProblem(p)}\n`);
  const warned = result.articles.filter((a) => a.warnings.length > 0);
  for (const a of warned) for (const w of a.warnings) process.stderr.write(`warning: ${a.origin}: ${w}\n`);
  const chars = result.articles.reduce((n, a) => n + a.title.length + a.paragraphs.reduce((m, p) => m + p.length, 0), 0);
  process.stderr.write(
    `ingest: ${result.articles.length} articles, ${warned.length} with warnings, ${result.errors.length} errors, ` +
      `${result.files} files, ${(chars / 1e6).toFixed(2)}M chars, ${seconds.toFixed(2)} s\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`ingest: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
