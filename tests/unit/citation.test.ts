// Citations against GB/T 7714-2015's own examples (its 电子资源 and 报纸
// examples, typed from the standard), and RIS/BibTeX that parse back.
import { describe, expect, it } from "vitest";
import { bibtex, citationOf, gbt7714, isNewspaper, ris, type Citable } from "@/lib/search/serving/citation";

const at = (d: string) => new Date(`${d}T12:00:00Z`);
const article = (over: Partial<Citable>): Citable => ({ id: "a1", title: "", authors: [], source: null, date: null, url: null, docNumber: null, issuer: null, ...over });

describe("GB/T 7714-2015, as the standard's examples write it", () => {
  it("an electronic bulletin [EB/OL] with 发布日期 and 引用日期 (示例: 萧钰)", () => {
    const a = article({ title: "出版业信息化迈入快车道", authors: ["萧钰"], date: "2001-12-19", url: "http://www.creader.com/news/20011219/200112190019.html" });
    expect(gbt7714(a, at("2002-04-15"))).toBe("萧钰. 出版业信息化迈入快车道[EB/OL]. (2001-12-19)[2002-04-15]. http://www.creader.com/news/20011219/200112190019.html.");
  });

  it("a body as 主要责任者 (示例: 中国互联网络信息中心) where a page has no author", () => {
    const a = article({ title: "第29次中国互联网络发展现状统计报告", source: "中国互联网络信息中心", date: "2012-01-16", url: "http://www.cnnic.net.cn/hlwfzyj/hlwxzbg/201201/P020120709345264469680.pdf" });
    // The standard types this one [R/OL] (a report); a web article is [EB/OL], the rest is the same.
    expect(gbt7714(a, at("2013-03-26"))).toBe("中国互联网络信息中心. 第29次中国互联网络发展现状统计报告[EB/OL]. (2012-01-16)[2013-03-26]. http://www.cnnic.net.cn/hlwfzyj/hlwxzbg/201201/P020120709345264469680.pdf.");
  });

  it("a newspaper article [N] (示例: 丁文祥), and online [N/OL] (示例: 傅刚, 赵承, 李佳路)", () => {
    // The standard's examples end in the page (版次), "(15)" and "(14)": an article here does not know its page, so it is left out.
    expect(gbt7714(article({ title: "数字革命与竞争国际化", authors: ["丁文祥"], source: "中国青年报", date: "2000-11-20" }), at("2026-01-01"))).toBe("丁文祥. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20.");
    const online = article({ title: "大风沙过后的思考", authors: ["傅刚", "赵承", "李佳路"], source: "北京青年报", date: "2000-04-12", url: "http://www.bjyouth.com.cn/Bqb/20000412/GB/4216%5ED0412B1401.htm" });
    expect(gbt7714(online, at("2005-07-12"))).toBe("傅刚, 赵承, 李佳路. 大风沙过后的思考[N/OL]. 北京青年报, 2000-04-12[2005-07-12]. http://www.bjyouth.com.cn/Bqb/20000412/GB/4216%5ED0412B1401.htm.");
  });

  it("more than three authors: the first three, then 等 (8.1.2)", () => {
    const a = article({ title: "造就大批创新型人才", authors: ["刘裕国", "杨柳", "张洋", "王五"], source: "人民日报", date: "2013-06-10" });
    expect(gbt7714(a, at("2026-01-01"))).toBe("刘裕国, 杨柳, 张洋, 等. 造就大批创新型人才[N]. 人民日报, 2013-06-10.");
  });

  it("an official document: under its 发文机关, its 文号 as other title information", () => {
    const a = article({ title: "关于开展主题党日活动的通知", issuer: "中共示范县委组织部", docNumber: "示组发〔2022〕5号", date: "2022-03-01", url: "https://example.org/articles/x" });
    expect(gbt7714(a, at("2026-12-06"))).toBe("中共示范县委组织部. 关于开展主题党日活动的通知: 示组发〔2022〕5号[EB/OL]. (2022-03-01)[2026-12-06]. https://example.org/articles/x.");
  });

  it("tells newspapers from journals and bulletins", () => {
    expect(["人民日报", "学习时报", "中国青年报", "光明日报"].every(isNewspaper)).toBe(true);
    expect(["清华大学学报", "社区党建简报", "机关党建通讯", "情况通报", "统计年报", null].some(isNewspaper)).toBe(false);
  });
});

describe("RIS and BibTeX", () => {
  const a = article({ id: "wb 1", title: "党建{引领}_100%", authors: ["张三", "李四"], source: "人民日报", date: "2024-05-01", url: "https://example.org/a" });
  it("RIS: one tag per line, CRLF, every author, ER last", () => {
    const text = ris(a, at("2026-12-06"));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("TY  - NEWS");
    expect(lines.filter((l) => l.startsWith("AU  - "))).toEqual(["AU  - 张三", "AU  - 李四"]);
    expect(lines).toContain("DA  - 2024/05/01");
    expect(lines).toContain("Y2  - 2026/12/06");
    expect(lines.at(-2)).toBe("ER  - ");
    expect(lines.every((l) => l === "" || /^[A-Z][A-Z0-9]  - /u.test(l))).toBe(true);
  });
  it("BibTeX: braces balanced, specials escaped, a key of safe characters", () => {
    const text = bibtex(a, at("2026-12-06"));
    expect(text.startsWith("@article{dj:wb-1,\n")).toBe(true);
    expect(text).toContain("title = {党建\\{引领\\}\\_100\\%}");
    expect(text).toContain("author = {{张三} and {李四}}");
    expect(text).toContain("journal = {人民日报}");
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "{") depth++;
      else if (text[i] === "}") depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(citationOf(a, at("2026-12-06")).bibtex).toBe(text);
  });
});
