import { describe, expect, it } from "vitest";
import { ParamError, parseDateBound, parseSearchParams } from "@/lib/search/serving/params";

const p = (s: string) => parseSearchParams(new URLSearchParams(s));

describe("parseSearchParams", () => {
  it("fills defaults", () => {
    expect(p("")).toEqual({ q: "", authors: [], sources: [], docTypes: [], issuers: [], from: null, to: null, sort: "relevance", page: 1, size: 10, group: true });
    expect(p("group=0").group).toBe(false);
    expect(() => p("group=no")).toThrow(/group/);
  });

  it("reads 文种 and 发文机关 filters like the others", () => {
    expect(p("docType=通知&docType=意见").docTypes).toEqual(["通知", "意见"]);
    expect(p("issuer=中共某某县委组织部,某某县人民政府").issuers).toEqual(["中共某某县委组织部", "某某县人民政府"]);
    expect(() => p(`docType=${"通".repeat(101)}`)).toThrow(/docType: .* at most 100/u);
  });

  it("reads several authors and sources", () => {
    expect(p("author=陈志明&author=李文华&source=清风周刊").authors).toEqual(["陈志明", "李文华"]);
    expect(p("author=陈志明,李文华").authors).toEqual(["陈志明", "李文华"]);
  });

  it.each([
    ["size=101", "size"],
    ["size=0", "size"],
    ["page=abc", "page"],
    ["page=-1", "page"],
    ["sort=best", "sort"],
    ["from=2019-13", "from"],
    ["to=yesterday", "to"],
    ["from=2020&to=2019", "from"],
    ["q=a&q=b", "q"],
    [`q=${"党".repeat(257)}`, "q"],
    [`q=${encodeURIComponent("😀".repeat(257))}`, "q"],
    [`q=${encodeURIComponent(Array.from({ length: 17 }, (_, i) => `词${i}`).join(" "))}`, "q"],
    [`q=${encodeURIComponent(Array.from({ length: 17 }, (_, i) => `词${i}`).join(" | "))}`, "q"],
    ["page=1001&size=10", "page"],
    ["page=101&size=100", "page"],
    [Array.from({ length: 21 }, (_, i) => `author=a${i}`).join("&"), "author"],
    [`source=${"长".repeat(101)}`, "source"],
  ])("rejects %s naming the parameter %s", (query, param) => {
    try {
      p(query);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError);
      expect((e as ParamError).param).toBe(param);
      expect((e as Error).message.startsWith(`${param}:`)).toBe(true);
    }
  });
});

describe("request limits", () => {
  it("counts characters as code points and accepts queries at the limits", () => {
    expect(p(`q=${encodeURIComponent("😀".repeat(256))}`).q).toHaveLength(512);
    expect(p(`q=${"党".repeat(256)}`).q).toHaveLength(256);
    expect(p(`q=${encodeURIComponent(Array.from({ length: 16 }, (_, i) => `词${i}`).join(" "))}`).q).toContain("词15");
    expect(p("page=1000&size=10").page).toBe(1000);
    expect(p("page=100&size=100").size).toBe(100);
  });

  it("names the limit it enforces", () => {
    try {
      p(`q=${"党".repeat(300)}`);
      expect.unreachable();
    } catch (e) {
      expect((e as ParamError).limit).toBe(256);
      expect((e as Error).message).toBe("q: is 300 characters long; at most 256");
    }
  });

  it("does not count OR operators as parts, only what they join", () => {
    expect(() => p(`q=${encodeURIComponent(Array.from({ length: 16 }, (_, i) => `词${i}`).join(" OR "))}`)).not.toThrow();
  });
});

describe("parseDateBound", () => {
  it("expands YYYY and YYYY-MM to the first or last day", () => {
    expect(parseDateBound("2019", "from")).toBe("2019-01-01");
    expect(parseDateBound("2019", "to")).toBe("2019-12-31");
    expect(parseDateBound("2020-02", "to")).toBe("2020-02-29");
    expect(parseDateBound("2021-02", "to")).toBe("2021-02-28");
    expect(parseDateBound("2019-3-5", "from")).toBe("2019-03-05");
  });
});
