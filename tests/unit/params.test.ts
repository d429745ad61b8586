import { describe, expect, it } from "vitest";
import { ParamError, parseDateBound, parseSearchParams } from "@/lib/search/params";

const p = (s: string) => parseSearchParams(new URLSearchParams(s));

describe("parseSearchParams", () => {
  it("fills defaults", () => {
    expect(p("")).toEqual({ q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 });
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
    [`q=${"党".repeat(501)}`, "q"],
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

describe("parseDateBound", () => {
  it("expands YYYY and YYYY-MM to the first or last day", () => {
    expect(parseDateBound("2019", "from")).toBe("2019-01-01");
    expect(parseDateBound("2019", "to")).toBe("2019-12-31");
    expect(parseDateBound("2020-02", "to")).toBe("2020-02-29");
    expect(parseDateBound("2021-02", "to")).toBe("2021-02-28");
    expect(parseDateBound("2019-3-5", "from")).toBe("2019-03-05");
  });
});
