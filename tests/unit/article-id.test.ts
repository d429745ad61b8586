import { describe, expect, it } from "vitest";
import { articleIdFrom } from "@/lib/search/serving/article-id";

describe("articleIdFrom", () => {
  it("reads ids as ingest makes them, escaped or not", () => {
    expect(articleIdFrom("2019-theme-education-launch")).toBe("2019-theme-education-launch");
    expect(articleIdFrom("brief-2015-001~2")).toBe("brief-2015-001~2");
    expect(articleIdFrom(encodeURIComponent("党建-工作"))).toBe("党建-工作");
  });

  it.each([
    ["..%2F..%2Fetc%2Fpasswd"],
    ["../../etc/passwd"],
    ["%2e%2e"],
    [".."],
    ["%E4%B8"],
    ["a%00b"],
    ["a/b"],
    ["a b"],
    [""],
    ["x".repeat(201)],
  ])("names no article for %s", (segment) => {
    expect(articleIdFrom(segment)).toBeNull();
  });
});
