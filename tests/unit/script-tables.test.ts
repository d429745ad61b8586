import { describe, expect, it } from "vitest";
import { normalize, normalizeChars, normalizeWithMap } from "@/lib/text/normalize";
import { deriveTables, scriptTables, serializeTables } from "@/lib/text/script";
import { cachedSpellings, deriveSpellings, spellingTable } from "@/lib/text/spellings";

describe("the cached script tables", () => {
  it("match what opencc-js derives today (run npm run gen:script-tables if not)", () => {
    expect(serializeTables(scriptTables())).toEqual(serializeTables(deriveTables()));
  });

  it("the regional spelling table matches what opencc-js derives today", () => {
    expect(cachedSpellings()).toEqual(deriveSpellings(normalizeChars));
    expect(spellingTable().phrases.size).toBeGreaterThan(300);
  });
});

describe("regional spellings", () => {
  it("are word level: 計畫 and 计划 are one word, 著作 and 乾隆 are not converted per character", () => {
    expect(normalize("計畫")).toBe("计划");
    expect(normalize("计划")).toBe("计划");
    expect(normalize("瞭解")).toBe("了解");
    expect(normalize("裡面")).toBe("里面");
    expect(normalize("著作")).toBe("著作");
    expect(normalize("著手")).toBe("着手");
    expect(normalize("乾隆年間")).toBe("乾隆年间");
    expect(normalize("乾淨")).toBe("干净");
    expect(normalize("顯著")).toBe("显著");
  });

  it("normalising twice changes nothing, for every phrase of the table", () => {
    for (const [key, value] of spellingTable().phrases) {
      expect(normalize(value), key).toBe(value);
      expect(normalize(key), key).toBe(value);
    }
  });

  it("keep the offset map one to one: each normalised unit maps back to the character it came from", () => {
    const text = "本黨計畫於今年瞭解基層";
    const m = normalizeWithMap(text);
    expect(m.text).toBe("本党计划于今年了解基层");
    expect(m.text).toBe(normalize(text));
    const at = m.text.indexOf("计划");
    expect(text.slice(m.start[at], m.end[at + 1])).toBe("計畫");
  });
});
