import { openIndex } from "@/lib/search/store";
import { loadSegmenter } from "@/lib/text/segment";
(async () => {
  loadSegmenter();
  const index = await openIndex("/tmp/i1");
  await index.warmTexts();
  const base = { authors: [], sources: [], from: null, to: null, sort: "relevance" as const, page: 1, size: 10 };
  const common = "的是在了和有中人上为国我们这个发展工作建设党的会议学习";
  const qs: Record<string, string> = {
    "256 common chars unspaced": common.repeat(10).slice(0, 256),
    "128 single chars spaced": common.repeat(10).slice(0, 128).split("").join(" "),
    "64 OR common": common.split("").slice(0, 32).join(" | "),
    "sentence 60": "全面从严治党永远在路上党的自我革命永远在路上决不能有松劲歇脚疲劳厌战的情绪必须持之以恒推进",
    "的": "的",
    "的 -是": "的 -是",
    "quotes x10000": '"'.repeat(10000).slice(0, 256),
    "emoji": "😀😀党建😀",
    "only punct": "，。！？；：、",
    "excl many": Array.from({ length: 40 }, (_, i) => "-" + common[i % common.length]).join(" ") + " 党",
  };
  for (const [name, q] of Object.entries(qs)) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) { const t = performance.now(); total = index.search({ ...base, q }).total; times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(name.padEnd(28), "median", times[2].toFixed(1), "ms max", times[4].toFixed(1), "total", total);
  }
  for (const page of [1, 100, 1000]) { const t = performance.now(); index.search({ ...base, q: "的", page, size: 100 }); console.log("page", page, "size 100", (performance.now() - t).toFixed(1), "ms"); }
})();
