// Runs the content pipeline on the real corpus (../shared/corpus), which never
// enters the repository. Skipped, with the reason printed, when it is absent.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toPreview } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { CORPUS_DIR, HAVE_CORPUS, SKIP_REASON, corpusFiles } from "../../testkit/corpus";
import { formatHtmlQuality, measureHtmlQuality } from "./html-quality";

if (!HAVE_CORPUS) console.log(SKIP_REASON);

describe.skipIf(!HAVE_CORPUS)("content pipeline on the real corpus", () => {
  it("turns the seed scrape into a clean Traditional article", async () => {
    const result = await ingest([path.join(CORPUS_DIR, "seed/000_9a21e88e89a09b08.txt")]);
    expect(result.errors).toEqual([]);
    const a = toPreview(result.articles[0]);
    // The expected fields are read from the corpus README: its text stays out of the repo.
    const readme = readFileSync(path.join(CORPUS_DIR, "README.md"), "utf8");
    const m = /title (\S+), author (\S+), source (\S+), date (\d{4}-\d{2}-\d{2})\)/u.exec(readme)!;
    expect(m, "corpus README names the seed's expected fields").not.toBeNull();
    expect(a).toMatchObject({ title: m[1], author: m[2], source: m[3], date: m[4], script: "Traditional" });
    expect(a.body.startsWith("黨建工作創新")).toBe(true);
    expect(a.body).not.toMatch(/<[a-z/]/i);
    expect(a.body).not.toContain("91视频");
    expect(a.body.split("\n").filter((l) => /作者[:：]|發布時間[:：]/.test(l))).toEqual([]);
  });

  it("extracts real scraped HTML pages as well as the site-specific script did", async () => {
    const q = await measureHtmlQuality();
    console.log(formatHtmlQuality(q));
    expect(q.ingested).toBe(q.pages);
    expect(q.title).toBeGreaterThanOrEqual(0.98);
    expect(q.date).toBeGreaterThanOrEqual(0.98);
    expect(q.source).toBeGreaterThanOrEqual(0.9);
    expect(q.author).toBeGreaterThanOrEqual(0.9);
    expect(q.bodyMedian).toBeGreaterThanOrEqual(0.95);
    expect(q.bodyP10).toBeGreaterThanOrEqual(0.85);
  }, 120_000);

  it("ingests all the bulk JSONL without errors", async () => {
    const started = performance.now();
    const result = await ingest(corpusFiles());
    const seconds = (performance.now() - started) / 1000;
    const warned = result.articles.filter((a) => a.warnings.length).length;
    console.log(`bulk JSONL: ${result.articles.length} articles, ${warned} with warnings, ${result.errors.length} errors, ${seconds.toFixed(1)} s`);
    expect(result.errors).toEqual([]);
    expect(result.articles.length).toBeGreaterThan(29_000);
  }, 120_000);
});
