// The server cuts queries with jieba's cut in TypeScript (lib/text/jieba-cut.ts);
// the index was cut by nodejieba. On the real corpus (which never enters the
// repository) both must cut alike: every title, raw and normalised, and the
// body of every 25th article. Skipped, with the reason printed, without it.
import { readFileSync } from "node:fs";
import nodejieba from "nodejieba";
import { describe, expect, it } from "vitest";
import { JiebaCutter } from "@/lib/text/jieba-cut";
import { normalize } from "@/lib/text/normalize";
import { jiebaFiles, loadSegmenter } from "@/lib/text/segment";
import { HAVE_CORPUS, SKIP_REASON, corpusFiles } from "../../testkit/corpus";

if (!HAVE_CORPUS) console.log(SKIP_REASON);

describe.skipIf(!HAVE_CORPUS)("the query segmenter on the real corpus", () => {
  it("cuts titles and a sample of bodies exactly as nodejieba", () => {
    loadSegmenter();
    const port = new JiebaCutter(jiebaFiles());
    let texts = 0;
    const differing: string[] = [];
    for (const file of corpusFiles()) {
      let k = 0;
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const a = JSON.parse(line) as { id?: string; title?: string; body?: string };
        const sources = k++ % 25 === 0 ? [a.title ?? "", a.body ?? ""] : [a.title ?? ""];
        for (const raw of sources) {
          for (const text of [raw, normalize(raw)]) {
            texts++;
            if (JSON.stringify(port.cut(text)) !== JSON.stringify(nodejieba.cut(text, true))) differing.push(`${file} ${a.id}`);
          }
        }
      }
    }
    console.log(`query segmenter: ${texts} corpus texts cut alike by both`);
    expect(texts).toBeGreaterThan(50_000);
    expect(differing).toEqual([]);
  }, 300_000);
});
