import { openIndex } from "@/lib/search/store";
import { loadSegmenter } from "@/lib/text/segment";
(async () => {
  loadSegmenter();
  const index = await openIndex("/tmp/i1");
  await index.warmTexts();
  const base = { authors: [], sources: [], from: null, to: null, sort: "relevance" as const, page: 1, size: 10 };
  const common = "的是在了和有中人上为国我们这个发展工作建设党的会议学习年大";
  const qs: Record<string, string> = {
    "32 single chars spaced": common.slice(0, 32).split("").join(" "),
    "32 OR common": common.split("").slice(0, 32).join(" | "),
    "16 OR common": common.split("").slice(0, 16).join(" | "),
    "32 OR 2-char": ["发展","工作","建设","会议","学习","我们","党的","中国","人民","社会","经济","国家","政府","干部","群众","企业","学校","教育","管理","服务","制度","改革","创新","文化","安全","组织","领导","思想","精神","政治","推进","加强"].join(" | "),
    "16 x 2-char AND": ["发展","工作","建设","会议","学习","我们","党的","中国","人民","社会","经济","国家","政府","干部","群众","企业"].join(" "),
  };
  for (const [name, q] of Object.entries(qs)) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 7; i++) { const t = performance.now(); total = index.search({ ...base, q }).total; times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(name.padEnd(28), "median", times[3].toFixed(1), "ms max", times[6].toFixed(1), "total", total);
  }
})();
