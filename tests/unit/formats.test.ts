import { describe, expect, it } from "vitest";
import { readHtml } from "@/lib/content/formats/html";
import { readJsonl } from "@/lib/content/formats/jsonl";
import { readMarkdown } from "@/lib/content/formats/markdown";
import { readText } from "@/lib/content/formats/text";

describe("readMarkdown", () => {
  it("reads front matter fields, several authors and tags, and plain paragraphs", () => {
    const d = readMarkdown(`---
title: 支部学习会
author: [刘洋, 赵敏]
source: 团委宣传部
date: 2018-07-01
url: https://example.org/a
tags: [红色教育, 党课]
---

第一段有**加粗**和[链接](https://example.org)。

- 列表一
- 列表二

> 引用的话
`);
    expect(d).toMatchObject({
      title: "支部学习会",
      authors: ["刘洋", "赵敏"],
      source: "团委宣传部",
      date: "2018-07-01",
      url: "https://example.org/a",
      tags: ["红色教育", "党课"],
    });
    expect(d.paragraphs).toEqual(["第一段有加粗和链接。", "列表一", "列表二", "引用的话"]);
  });

  it("takes a leading # heading as the title when front matter has none", () => {
    const d = readMarkdown("# 标题在这里\n\n正文一段。\n");
    expect(d.title).toBe("标题在这里");
    expect(d.paragraphs).toEqual(["正文一段。"]);
  });

  it("accepts a date written as 2019年6月10日 and warns about a non-date", () => {
    expect(readMarkdown("---\ntitle: a\ndate: 2019年6月10日\n---\n正文").date).toBe("2019-06-10");
    const bad = readMarkdown("---\ntitle: a\ndate: 去年\n---\n正文");
    expect(bad.date).toBeNull();
    expect(bad.warnings?.[0]).toContain("去年");
  });

  it("rejects front matter that is not YAML key-value pairs", () => {
    expect(() => readMarkdown("---\ntitle: [unclosed\n---\n正文")).toThrow(/bad front matter/);
    expect(() => readMarkdown("---\n- a\n- b\n---\n正文")).toThrow(/bad front matter/);
    expect(() => readMarkdown("---\ntitle: a\n正文没有结束标记")).toThrow(/no closing ---/);
  });
});

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>社区党委开展义诊活动--党建动态-某某街道网</title>
<script>var x = "作者：脚本里的假作者";</script><style>.a{}</style></head><body>
<div id="nav"><a href="/">首页</a><a href="/dj">党建动态</a><a href="/news">新闻中心</a></div>
<div class="sidebar"><ul><li><a href="/1">热点新闻一则很长的标题文字</a></li><li><a href="/2">热点新闻二则很长的标题文字</a></li></ul></div>
<div class="main"><div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/dj">党建动态</a></div>
<h1>社区党委开展义诊活动</h1>
<div class="info">作者：周敏 来源：社区党建简报 发布时间：2020年05月06日 点击数：<span>35</span></div>
<div class="content">
<p>五月六日，社区党委联合辖区医院开展义诊活动，为居民免费测量血压、血糖。</p>
<p><span style="font-family:宋体">党员医生耐心解答居民的健康问题，</span><span>并发放健康手册两百余份。</span></p>
<p>居民纷纷表示，这样的活动办到了大家心坎上。</p>
<!-- 评论 -->
</div>
<div class="tools">【打印本页】 【关闭窗口】</div>
<div class="prev">上一篇：<a href="/a">上一篇文章的标题</a></div>
</div>
<div id="footer">版权所有 © 某某街道 备案号：某ICP备00000000号</div>
</body></html>`;

describe("readHtml", () => {
  it("finds the title without the site suffix, the metadata and only the article's paragraphs", () => {
    const d = readHtml(PAGE);
    expect(d.title).toBe("社区党委开展义诊活动");
    expect(d.authors).toEqual(["周敏"]);
    expect(d.source).toBe("社区党建简报");
    expect(d.date).toBe("2020-05-06");
    expect(d.paragraphs).toEqual([
      "五月六日，社区党委联合辖区医院开展义诊活动，为居民免费测量血压、血糖。",
      "党员医生耐心解答居民的健康问题，并发放健康手册两百余份。",
      "居民纷纷表示，这样的活动办到了大家心坎上。",
    ]);
  });

  it("takes the source from a （来源：…） line in the body when the page has none", () => {
    const page = PAGE.replace("来源：社区党建简报 ", "").replace(
      "<p>居民纷纷表示",
      "<p>（来源：城南社区）</p><p>居民纷纷表示",
    );
    expect(readHtml(page).source).toBe("城南社区");
  });
});

const SCRAPE = `1. <dfn id="q1"><acronym id="q1"></acronym></dfn>
        <code id="q1"></code>
        淺談黨支部讀書角的作用
        作者:甄文明來源:城西郵報發布時間:2019-03-02

          黨支部讀書角是黨員學習的好地方,也是聯繫群眾的橋梁。

          &nbsp;

          支部每季度組織一次讀書交流,黨員輪流分享心得。

        免费在线观看,高清无码视频,亚洲精品导航,最新网址发布
`;

describe("readText", () => {
  it("turns a seed-like scrape into a clean article", () => {
    const d = readText(SCRAPE);
    expect(d).toMatchObject({ title: "淺談黨支部讀書角的作用", authors: ["甄文明"], source: "城西郵報", date: "2019-03-02" });
    expect(d.paragraphs).toEqual(["黨支部讀書角是黨員學習的好地方,也是聯繫群眾的橋梁。", "支部每季度組織一次讀書交流,黨員輪流分享心得。"]);
    expect(d.warnings).toEqual(["dropped 1 spam line(s)"]);
  });

  it("finds no title when the text starts with a sentence", () => {
    expect(readText("这是一段很长的正文，没有标题。\n第二段。").title).toBeNull();
  });
});

describe("readJsonl", () => {
  it("reads records and reports bad lines by number", () => {
    const lines = readJsonl(
      [
        JSON.stringify({ id: "a1", title: "标题", author: "刘洋、赵敏", source: null, date: "2020-01-02", url: null, body: "第一段\n第二段" }),
        "{not json",
        "",
        JSON.stringify([1, 2]),
        JSON.stringify({ id: "a2", title: 5, body: { x: 1 } }),
      ].join("\n"),
    );
    expect(lines[0].draft).toMatchObject({ id: "a1", authors: ["刘洋", "赵敏"], date: "2020-01-02", paragraphs: ["第一段", "第二段"] });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringContaining("not valid JSON") });
    expect(lines[2]).toMatchObject({ line: 4, error: "expected a JSON object" });
    expect(lines[3]).toMatchObject({ line: 5, error: '"body" must be a string or null' });
  });
});
