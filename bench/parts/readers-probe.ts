// Run by bench/readers.ts inside a project tree (this one, or the commit before
// the reader features): opens INDEX_DIR and prints, as JSON, per-query engine
// latency over fixed exact queries and how long opening the index took.
// Only the project's long-standing API is used, so it runs on older trees too.
import { openIndex } from "@/lib/search/storage/disk-store";

const QUERIES = ['"党建"', '"乡村振兴"', '"全面从严治党"', '"学习"', '"基层党组织"', '"马克思主义"', '"习近平新时代中国特色社会主义思想"', '"总统"', '"教育"', '"志愿服务"', '"疫情防控"', '"立德树人"', '"高质量发展"', '"共同富裕"', '"主题党日"', '"民主生活会"', '"中华民族伟大复兴"', '"考试"', '"国防"', '"经济"'];
const ROUNDS = 7;

void (async () => {
  const t = performance.now();
  const index = await openIndex(process.env.INDEX_DIR!);
  const openMs = performance.now() - t;
  await (index as unknown as { warmTexts?: () => Promise<void> }).warmTexts?.();
  const perRound: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const times: number[] = [];
    for (const q of QUERIES) {
      const s = performance.now();
      index.search({ q, authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 });
      times.push(performance.now() - s);
    }
    perRound.push(times);
  }
  process.stdout.write(JSON.stringify({ openMs, perRound, queries: QUERIES.length }));
})();
