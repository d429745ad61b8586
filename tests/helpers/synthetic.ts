// Generated articles for tests that need volume: sentences written by the team,
// combined by a seeded generator, so every run makes the same library.
const OPENINGS = ["近日，", "为深入学习贯彻党的二十大精神，", "本周，", "按照上级党组织部署，", "七月一日前夕，", "年初以来，"];
const SUBJECTS = ["机关党支部", "社区党委", "学校党总支", "农村党支部", "企业党委", "青年理论学习小组"];
const ACTIONS = [
  "召开专题组织生活会，围绕党建引领基层治理开展批评与自我批评",
  "组织党员到红色教育基地开展主题党日活动",
  "开展“三会一课”规范化建设检查，查找问题并建立整改台账",
  "举办党务干部培训班，讲解发展党员工作流程和党费收缴管理",
  "推进“两学一做”学习教育常态化制度化，党员人人撰写心得体会",
  "结合乡村振兴战略，组织党员志愿者走访困难群众",
  "开展廉政警示教育，观看警示教育片并签订廉洁承诺书",
  "围绕不忘初心、牢记使命主题，开展专题研讨和调查研究",
];
const CLOSINGS = ["大家纷纷表示，将以更高标准要求自己。", "活动取得了良好效果。", "下一步将持续巩固学习成果。", "与会党员深受教育。"];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SyntheticArticle {
  id: string;
  title: string;
  author: string;
  source: string;
  date: string;
  url: null;
  body: string;
}

export function syntheticArticles(count: number, seed = 1): SyntheticArticle[] {
  const r = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const subject = pick(SUBJECTS);
    const paragraphs = Array.from({ length: 3 + Math.floor(r() * 6) }, () => `${pick(OPENINGS)}${subject}${pick(ACTIONS)}。${pick(CLOSINGS)}`);
    const year = 2015 + Math.floor(r() * 11);
    const month = String(1 + Math.floor(r() * 12)).padStart(2, "0");
    return {
      id: `synthetic-${seed}-${i}`,
      title: `${subject}${pick(ACTIONS).slice(0, 12)}（第${i + 1}期）`,
      author: pick(["周明", "李红", "王建国", "陈志明"]),
      source: pick(["机关党建通讯", "支部工作简报", "基层党建网"]),
      date: `${year}-${month}-15`,
      url: null,
      body: paragraphs.join("\n"),
    };
  });
}

export function syntheticJsonl(count: number, seed = 1): string {
  return `${syntheticArticles(count, seed)
    .map((a) => JSON.stringify(a))
    .join("\n")}\n`;
}
