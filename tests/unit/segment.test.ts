import { describe, expect, it } from "vitest";
import { normalize } from "@/lib/text/normalize";
import { cut, cutForSearch, userDictionaryTerms } from "@/lib/text/segment";

describe("the party-building dictionary", () => {
  const terms = userDictionaryTerms();

  it("has a few hundred terms", () => {
    expect(terms.length).toBeGreaterThanOrEqual(250);
    for (const t of ["三会一课", "两学一做", "不忘初心", "主题教育", "党支部", "党风廉政建设", "二十大"]) expect(terms).toContain(t);
  });

  it("keeps every term whole, alone and inside a sentence", () => {
    const broken = terms.filter((t) => cut(t).length !== 1);
    expect(broken).toEqual([]);
    const inSentence = terms.filter((t) => !cut(`我们认真开展${t}相关工作`).includes(t));
    expect(inSentence).toEqual([]);
  });

  it("keeps terms whole after Traditional text is normalised", () => {
    expect(cut(normalize("黨風廉政建設和三會一課"))).toEqual(["党风廉政建设", "和", "三会一课"]);
  });
});

describe("cut", () => {
  it("runs with HMM on: years and unknown names stay whole", () => {
    expect(cut("2018年甄文明发言")).toEqual(expect.arrayContaining(["2018"]));
    expect(cut("2018年甄文明发言")).not.toContain("8");
  });

  it("drops whitespace tokens", () => {
    expect(cut("党建 工作")).toEqual(["党建", "工作"]);
  });
});

describe("cutForSearch", () => {
  it("adds the dictionary words inside a long word", () => {
    const words = cutForSearch("基层党组织书记");
    expect(words).toEqual(expect.arrayContaining(["基层", "党组织"]));
  });
});
