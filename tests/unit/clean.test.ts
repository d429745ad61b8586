import { describe, expect, it } from "vitest";
import { isBoilerplate, isDebris, isSpamLine, stripTags, tidyLine, toLines } from "@/lib/content/clean";

describe("isSpamLine", () => {
  it("catches link-farm keyword lists in another script", () => {
    expect(isSpamLine("免費在線觀看,高清無碼視頻,亞洲精品導航,最新網址發布", "Simplified")).toBe(true);
    expect(isSpamLine("免费在线观看,高清无码视频,亚洲精品导航", "Traditional")).toBe(true);
  });

  it("catches keyword lists full of spam vocabulary in the same script", () => {
    expect(isSpamLine("时时彩投注平台,百家乐娱乐城,棋牌下注网址", "Simplified")).toBe(true);
  });

  it("keeps real lists and sentences that share a word with spam", () => {
    expect(isSpamLine("学习、宣传、贯彻党的二十大精神", "Simplified")).toBe(false);
    expect(isSpamLine("组织党员观看红色影片、警示教育片、专题视频等。", "Simplified")).toBe(false);
    expect(isSpamLine("在线学习,视频党课,网上答题", "Simplified")).toBe(false);
    expect(isSpamLine("關鍵詞：黨建,基層,創新", "Traditional")).toBe(false);
    expect(isSpamLine("免费体检、免费理发、免费测血压", "Simplified")).toBe(false);
  });
});

describe("isBoilerplate", () => {
  it("drops page furniture", () => {
    for (const line of ["【打印本页】", "【打印本页】 【关闭窗口】", "上一篇：关于开展冬训的通知", "点击数：123次", "版权所有 © 某某街道", "备案号：某ICP备00000000号", "当前位置：首页 > 党建工作", "（责任编辑：张丽）"]) {
      expect(isBoilerplate(line), line).toBe(true);
    }
  });

  it("keeps prose", () => {
    expect(isBoilerplate("支部书记在会上说，组织生活不能只停留在读文件。")).toBe(false);
    expect(isBoilerplate("返回基层后，他把学到的方法用到村里。")).toBe(false);
  });
});

describe("tidyLine", () => {
  it("turns full-width letters and digits into ASCII but keeps Chinese punctuation", () => {
    expect(tidyLine("　　２０２１年，ＡＢＣ党支部，召开会议：")).toBe("2021年，ABC党支部，召开会议：");
  });

  it("removes zero-width and non-breaking characters", () => {
    expect(tidyLine("\u00A0党\u200B建\u00A0")).toBe("党建");
  });
});

describe("stripTags", () => {
  it("removes tags, scripts and comments and decodes entities", () => {
    expect(stripTags('<dfn id="x"></dfn><script>var a=1;</script><!-- c -->党建&amp;工作&nbsp;A&#x4E00;')).toBe("党建&工作\u00A0A一");
  });

  it("turns <br> and block ends into line breaks", () => {
    expect(toLines(stripTags("第一段<br>第二段</p>第三段"))).toEqual(["第一段", "第二段", "第三段"]);
  });
});

describe("isDebris", () => {
  it("flags lines without letters or digits, and bare list numbers", () => {
    expect(isDebris("1.")).toBe(true);
    expect(isDebris("——")).toBe(true);
    expect(isDebris("一、")).toBe(false);
    expect(isDebris("党建")).toBe(false);
  });
});
