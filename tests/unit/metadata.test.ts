import { describe, expect, it } from "vitest";
import {
  dateOnlyLine,
  isPlaceholderAuthor,
  metadataLine,
  parenthesisedSource,
  parseDate,
  parseLabelledLine,
  splitAuthors,
} from "@/lib/content/metadata";

describe("parseDate", () => {
  it.each([
    ["2018-12-05", "2018-12-05"],
    ["2018/12/05", "2018-12-05"],
    ["2018.12.05", "2018-12-05"],
    ["2018年12月5日", "2018-12-05"],
    ["2018年12月05日 10:30", "2018-12-05"],
    ["2018-12-05 10:30", "2018-12-05"],
    ["２０１８－１２－０５", null],
    ["２０１８年１２月５日", "2018-12-05"],
    ["2018-2-3", "2018-02-03"],
  ])("reads %s as %s", (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it("rejects impossible dates", () => {
    expect(parseDate("2018-02-30")).toBeNull();
    expect(parseDate("2018-13-01")).toBeNull();
    expect(parseDate("no date here")).toBeNull();
  });
});

describe("parseLabelledLine", () => {
  it("separates fields run together without separators (Traditional)", () => {
    const m = parseLabelledLine("作者:甄文明來源:城西郵報發布時間:2018-12-05");
    expect(m).toMatchObject({ authors: ["甄文明"], source: "城西郵報", date: "2018-12-05" });
  });

  it("separates fields run together without separators (Simplified, full-width colons)", () => {
    const m = parseLabelledLine("作者：李文华来源：机关党建通讯发布时间：2016年4月18日");
    expect(m).toMatchObject({ authors: ["李文华"], source: "机关党建通讯", date: "2016-04-18" });
  });

  it("reads 文章来源, 发布日期 and 时间 labels and ignores counters", () => {
    const m = parseLabelledLine("文章来源：本站原创 作者：王建国 发布日期：2020/03/02 点击数：12次");
    expect(m).toMatchObject({ authors: ["王建国"], source: "本站原创", date: "2020-03-02" });
    expect(parseLabelledLine("时间：2021-07-01 10:30")?.date).toBe("2021-07-01");
    expect(parseLabelledLine("日期：2021.07.01")?.date).toBe("2021-07-01");
  });

  it("reads bylines written as 文/ and 记者", () => {
    expect(parseLabelledLine("文/张丽")?.authors).toEqual(["张丽"]);
    expect(parseLabelledLine("文 / 张丽 刘洋")?.authors).toEqual(["张丽", "刘洋"]);
    expect(parseLabelledLine("记者：孙伟")?.authors).toEqual(["孙伟"]);
    expect(parseLabelledLine("記者：孫偉")?.authors).toEqual(["孫偉"]);
  });

  it("does not take 原文： or a slash in the middle of a line as a byline", () => {
    expect(parseLabelledLine("原文：某某")).toBeNull();
    expect(parseLabelledLine("上下文/语境")).toBeNull();
  });

  it("leaves placeholders out of authors", () => {
    expect(parseLabelledLine("作者：佚名 来源：本站原创")).toMatchObject({ authors: [], source: "本站原创" });
    expect(parseLabelledLine("作者：admin")?.authors).toEqual([]);
  });
});

describe("splitAuthors", () => {
  it("splits several authors on 、 , and spaces between Chinese names", () => {
    expect(splitAuthors("刘洋、赵敏")).toEqual(["刘洋", "赵敏"]);
    expect(splitAuthors("刘洋，赵敏")).toEqual(["刘洋", "赵敏"]);
    expect(splitAuthors("刘洋 赵敏")).toEqual(["刘洋", "赵敏"]);
    expect(splitAuthors("John Smith")).toEqual(["John Smith"]);
  });
});

describe("isPlaceholderAuthor", () => {
  it("knows 佚名, 本站原创 and admin are nobody", () => {
    for (const p of ["佚名", "本站原创", "admin", "Admin", "管理员"]) expect(isPlaceholderAuthor(p)).toBe(true);
    expect(isPlaceholderAuthor("陈志明")).toBe(false);
  });
});

describe("metadataLine", () => {
  it("recognises a short line of fields", () => {
    expect(metadataLine("来源：基层党建网　时间：2019-05-04")).not.toBeNull();
  });

  it("does not take prose that mentions 时间 for metadata", () => {
    expect(metadataLine("会议强调，要抓紧时间：把学习教育、调查研究贯穿始终。")).toBeNull();
    expect(metadataLine("他说：“我们没有时间犹豫。”")).toBeNull();
  });
});

describe("parenthesisedSource", () => {
  it("reads （来源：…） and (來源:…) lines", () => {
    expect(parenthesisedSource("（来源：某某党建网）")).toBe("某某党建网");
    expect(parenthesisedSource("(來源:清風周刊)")).toBe("清風周刊");
    expect(parenthesisedSource("来源于群众的智慧")).toBeNull();
  });
});

describe("dateOnlyLine", () => {
  it("reads a line that is only a date", () => {
    expect(dateOnlyLine("2021-09-16 10:30")).toBe("2021-09-16");
    expect(dateOnlyLine("[2021年9月16日]")).toBe("2021-09-16");
    expect(dateOnlyLine("2021年9月16日，街道党工委召开会议。")).toBeNull();
  });
});
