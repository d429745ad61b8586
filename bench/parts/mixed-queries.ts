// The mixed query set of `npm run bench`: what people type that is not a
// Chinese word drawn from the corpus — Latin words, digits and dates, single
// and stop characters, long ORs, operators, Traditional forms, long
// sentences — each typed as a user types it (the query language applies).
export const MIXED: string[] = [
  // Latin letters, as words and fragments, in both cases and widths
  "iPhone", "iphone", "com", "www", "http", "near", "china", "party", "the", "and", "ai", "AI", "ＡＩ", "app", "wifi",
  "ppt", "gdp", "cpu", "5g", "pdf", "word", "news", "dangjian", "xinhua", "a", "e", "x", "abc", "ok",
  // digits, numbers, dates, percentages
  "1", "0", "10", "20", "01", "19", "100", "1000", "2019", "2020", "2021", "1921", "2020年", "2021年3月", "1949年", "12月",
  "3月15日", "2020-01", "2020.1", "100%", "50%", "%", "1.5", "100周年", "2023年 工作总结", "2022年度", "20 19", "党建工作2020",
  // single characters, stop characters, and runs of them
  "党", "的", "了", "是", "在", "之", "和", "一", "国", "人", "中", "黨", "a b c d", "1 2 3 4 5 6 7 8", "的 了 是 在", "中 国 人",
  // long alternatives
  "党建 | 创新 | 学习 | 教育 | 组织 | 纪律 | 作风 | 廉政", "2019 | 2020 | 2021 | 2022", "a | b | c | d | e", "的 OR 了 OR 是",
  // operators, fields, odd input
  "党建 NEAR/10 创新", "标题:党建", "作者:张三", "-党建", "学习 -教育 -党员", "-的", "<script>", "\"\"", "OR", "|", "\"党 建\"", "“两学一做”",
  // Traditional and regional spellings
  "「全面從嚴治黨」", "計畫", "網路", "軟體", "臺灣", "黨建工作",
  // long queries
  "习近平新时代中国特色社会主义思想", "不忘初心牢记使命主题教育工作会议", "全面从严治党向纵深发展 党风廉政建设 2020年",
];
