// Where jieba's choices tie exactly (equal dictionary weights, an HMM whose
// every probability is the same), the first candidate wins, in cppjieba's own
// order; the TypeScript port must break every tie the same way. A dictionary
// and model made for ties are loaded into nodejieba here (this file runs in a
// process of its own, so the real dictionary of the other tests is untouched).
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import nodejieba from "nodejieba";
import { describe, expect, it } from "vitest";
import { JiebaCutter } from "@/lib/text/jieba-cut";

const dir = mkdtempSync(path.join(os.tmpdir(), "jieba-ties-"));
const chars = ["甲", "乙", "丙", "丁", "戊"];
const words: string[] = [...chars.slice(0, 4)];
for (const a of chars) for (const b of chars) if ((a + b).length && a !== "戊") words.push(a + b);
words.push("甲乙丙", "乙丙丁", "丙丁甲", "甲甲乙乙");
const dict = path.join(dir, "dict.utf8");
writeFileSync(dict, words.map((w) => `${w} 10 n`).join("\n") + "\n");
const user = path.join(dir, "user.utf8");
writeFileSync(user, ["戊", "丁丁 x", "乙乙乙 10 n", "丙丙 n"].join("\n") + "\n");
const model = path.join(dir, "hmm.utf8");
const emit = chars.concat(["己", "庚"]).map((c) => `${c}:-1.0`).join(",");
writeFileSync(model, ["#start", "-1.0 -1.0 -1.0 -1.0", "#trans", ...Array(4).fill("-1.0 -1.0 -1.0 -1.0"), "#emit", ...Array(4).fill(emit)].join("\n") + "\n");
const stop = path.join(dir, "stop.utf8");
writeFileSync(stop, "的\n");
const idf = path.join(dir, "idf.utf8");
writeFileSync(idf, "甲 1.0\n");
nodejieba.load({ dict, hmmDict: model, userDict: user, idfDict: idf, stopWordDict: stop });
const port = new JiebaCutter({ dict, hmmDict: model, userDict: user });

describe("jieba's cut in TypeScript, where choices tie", () => {
  it("breaks dictionary and HMM ties as nodejieba on 3,000 generated texts", () => {
    const alphabet = [...chars, "己", "庚", "辛", "，", " ", "a", "1"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((a) => a.join("")), (s) => {
        expect(port.cut(s)).toEqual(nodejieba.cut(s, true));
      }),
      { numRuns: 3000 },
    );
  });

  it("ends on E when the last character's E and S tie, as nodejieba", () => {
    // 己己: E through B (one word) and S through S (two words) both weigh -4.
    const tie = path.join(dir, "hmm-tie.utf8");
    // Transitions: B→E and S→S at -1, every other at -5.
    const rows = ["-5 -1 -5 -5", "-5 -5 -5 -5", "-5 -5 -5 -5", "-5 -5 -5 -1"];
    writeFileSync(tie, ["-1 -1 -1 -1", ...rows, ...Array(4).fill("己:-1.0,庚:-1.0")].join("\n") + "\n");
    nodejieba.load({ dict, hmmDict: tie, userDict: user, idfDict: idf, stopWordDict: stop });
    const tied = new JiebaCutter({ dict, hmmDict: tie, userDict: user });
    expect(nodejieba.cut("己己", true)).toEqual(["己己"]);
    for (const s of ["己己", "己庚", "庚己己", "己己己己", "甲己己乙"]) expect(tied.cut(s), s).toEqual(nodejieba.cut(s, true));
  });
});
