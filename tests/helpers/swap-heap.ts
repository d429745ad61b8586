// Run with --expose-gc by tests/unit/swap-heap.test.ts: a library of generated
// articles, served by the runtime in this process, swapped ten times; prints
// the heap (JS heap and array buffers, after collections) before the first
// generation, with it, and after the ten swaps.
import { promises as fs } from "node:fs";
import path from "node:path";
import { makeLibrary } from "../../testkit/library";
import { syntheticJsonl } from "./synthetic";

const heldMB = async () => {
  for (let i = 0; i < 4; i++) {
    global.gc!();
    await new Promise((r) => setTimeout(r, 20));
  }
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};

(async () => {
  const lib = await makeLibrary("swap-heap");
  try {
    await fs.mkdir(path.join(lib.content, "bulk"), { recursive: true });
    await fs.writeFile(path.join(lib.content, "bulk", "synthetic.jsonl"), syntheticJsonl(Number(process.env.ARTICLES ?? 3000)));
    await lib.reindex();
    process.env.INDEX_DIR = lib.index;
    const runtime = await import("@/lib/search/serving/live-index");
    const before = await heldMB();
    // Fully warm (texts normalised, suggestions built) at both readings, as a server is seconds after a swap.
    const warm = async () => {
      const index = await runtime.loadSearchIndex();
      await index.warmTexts();
      await index.warmSuggestions();
      return index;
    };
    await warm();
    const withFirst = await heldMB();
    for (let round = 1; round <= 10; round++) {
      await lib.write(`2026/swap-${round}.md`, `第${round}次换代测试`, `换代测试文章${round}号，党建工作。`);
      await lib.reindex();
      await runtime.reloadIndex("test");
    }
    const live = await warm();
    const after = await heldMB();
    process.stdout.write(JSON.stringify({ before, withFirst, after, articles: live.size }));
  } finally {
    await lib.cleanup();
  }
  process.exit(0);
})();
