// The content fuzzer: over a thousand generated broken files (truncated HTML,
// wrong and mixed encodings, binary, a 50 MB line, tags nested 10,000 deep,
// front matter of the wrong types, duplicate ids, bad JSONL lines, oversized
// and title-less pages) in one folder with good ones, through a real index
// run. The build never crashes, each bad file is reported by name, and every
// good article is found.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { runIndex, type IndexRunResult } from "@/lib/search/build/indexer";
import { openIndex } from "@/lib/search/storage/disk-store";
import type { SearchIndex } from "@/lib/search/engine/search-index";

type Expect = "good" | "bad" | "either";
interface Made {
  name: string;
  /** Made by the generator (hostile by construction), not one of the plain good files. */
  generated?: boolean;
  bytes: Uint8Array | string;
  expect: Expect;
  /** Tokens of articles that must be found (a JSONL file may hold good lines beside bad ones). */
  tokens: string[];
}

let dir: string;
let result: IndexRunResult;
let index: SearchIndex;
const files: Made[] = [];
const token = (i: number) => `良品${i}号文`;
const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}_党建网</title></head><body><div class="nav"><a href="/">首页</a></div><div class="content"><h1>${title}</h1><p>${body}</p><p>支部书记讲党课，党员认真学习。</p></div></body></html>`;

const made = (name: string, bytes: Uint8Array | string, expect: Expect, tokens: string[] = []): Made => ({ name, bytes, expect, tokens });

function kinds(i: number): fc.Arbitrary<Made> {
  const t = token(i);
  return fc.oneof(
    fc.nat({ max: 400 }).map((cut) => made(`truncated-${i}.html`, page(`截断页面${i}`, `${t}在此。`).slice(0, 60 + cut), "either")),
    fc.constantFrom("gbk", "big5").map((enc) =>
      made(`mixed-${i}.txt`, Buffer.concat([Buffer.from(`混合编码${i}\n`, "utf8"), iconv.encode(`这是${enc}编码的正文，党建工作。\n`, enc), Buffer.from("结尾是UTF-8。\n", "utf8")]), "either"),
    ),
    fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((b) => made(`binary-${i}.md`, Uint8Array.from([...b, 0]), "bad")),
    fc.constantFrom("", " ", "\n\n\t ", "\ufeff").map((s) => made(`empty-${i}.txt`, s, "bad")),
    fc
      .constantFrom("title: [1, 2]", "title: {a: 1}", "title: 123\ndate: {x: 1}", "title: ok\nauthor: [1, {b: 2}]\ntags: 5", "title: ok\ndate: not-a-date", ": :\n- -", "title: \"unclosed", "title: null")
      .map((fm) => made(`frontmatter-${i}.md`, `---\n${fm}\n---\n\n正文第${i}篇，格式有误的前言。\n`, "either")),
    fc.constant(made(`deep-${i}.html`, `<html><head><title>深层${i}</title></head><body>${"<div>".repeat(10_000)}<p>${t}藏在一万层标签里。</p>${"</div>".repeat(10_000)}</body></html>`, "good", [t])),
    fc.constant(made(`duplicate-id-${i}.md`, `---\nid: same-id\ntitle: 同一编号的文章${i}\n---\n\n${t}与别的文章编号相同。\n`, "good", [t])),
    fc.constant(
      made(
        `lines-${i}.jsonl`,
        [JSON.stringify({ title: `批量${i}`, body: `${t}是好的一行。` }), "{not json", JSON.stringify({ body: "没有标题" }), JSON.stringify([1, 2]), JSON.stringify({ title: { zh: "对象" }, body: "标题不是字符串" })].join("\n"),
        "bad",
        [t],
      ),
    ),
    fc.constant(made(`untitled-${i}.html`, `<html><body><p>没有标题的页面${i}。</p></body></html>`, "either")),
    fc.string({ unit: "binary", maxLength: 500 }).map((s) => made(`garbage-${i}.txt`, s, "either")),
  );
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "content-fuzz-"));
  const broken = fc.sample(fc.nat({ max: 1_000_000 }).chain((n) => kinds(n)), { numRuns: 1100, seed: 42 });
  // Names unique by position (the generator's own numbers may repeat).
  broken.forEach((m, k) => files.push({ ...m, generated: true, name: m.name.replace(/-(\d+)\./u, `-${k}.`), tokens: m.tokens.map(() => token(100_000 + k)), bytes: typeof m.bytes === "string" ? m.bytes.replaceAll(/良品\d+号文/gu, token(100_000 + k)) : m.bytes }));
  // Good files of every format beside them.
  for (let k = 0; k < 60; k++) {
    const t = token(200_000 + k);
    files.push({ name: `good-${k}.md`, bytes: `---\ntitle: 好文章${k}\nauthor: 周明\ndate: 2024-01-${String((k % 28) + 1).padStart(2, "0")}\n---\n\n${t}，支部开展学习。\n`, expect: "good", tokens: [t] });
    files.push({ name: `good-${k}.html`, bytes: page(`好页面${k}`, `${token(300_000 + k)}，党员志愿服务。`), expect: "good", tokens: [token(300_000 + k)] });
  }
  // One line of 50 MB between good lines, and one file over the 5 MB limit.
  files.push({
    name: "huge-line.jsonl",
    bytes: [JSON.stringify({ title: "大行之前", body: `${token(400_001)}。` }), JSON.stringify({ title: "五十兆", body: "党".repeat(50 * 1024 * 1024 / 3) }), JSON.stringify({ title: "大行之后", body: `${token(400_002)}。` })].join("\n"),
    expect: "bad",
    tokens: [token(400_001), token(400_002)],
  });
  // Bombs for the parsers: nesting 400,000 deep and a 3-million-space run inside a paragraph (both under 5 MB).
  files.push({ name: "nested-400k.html", bytes: `<html><head><title>四十万层</title></head><body>${"<div><span>".repeat(200_000)}<p>${token(400_003)}。</p></body></html>`, expect: "good", tokens: [token(400_003)] });
  files.push({ name: "space-run.html", bytes: `<html><head><title>三百万空格</title></head><body><p>${token(400_004)}${" ".repeat(3_000_000)}完。</p></body></html>`, expect: "good", tokens: [token(400_004)] });
  files.push({ name: "space-run.txt", bytes: `空格标题
作者：${" ".repeat(2_000_000)}张三
${token(400_005)}${" ".repeat(2_000_000)}。`, expect: "good", tokens: [token(400_005)] });
  files.push({ name: "oversized.txt", bytes: `超大文件\n${"内容".repeat(3 * 1024 * 1024)}`, expect: "bad", tokens: [] });
  for (const f of files) await fs.writeFile(path.join(dir, f.name), f.bytes);
  result = await runIndex({ targets: [dir], dir: path.join(dir, ".index"), full: true, segmenter: segmentInProcess });
  index = await openIndex(path.join(dir, ".index"));
}, 300_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("an index run over a folder of broken files", () => {
  it("never crashes, reports every bad file by name, and finds every good article", () => {
    const reported = new Set(result.ingest.errors.map((e) => e.file));
    const bad = files.filter((f) => f.expect === "bad");
    const missingReports = bad.filter((f) => !reported.has(f.name)).map((f) => f.name);
    const lost = files.flatMap((f) => f.tokens.filter((t) => index.search({ q: `"${t}"`, authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }).total !== 1).map((t) => `${f.name}: ${t}`));
    console.log(
      `content fuzzer: ${files.length} files (${files.filter((f) => f.generated).length} generated hostile ones, ${files.filter((f) => f.expect === "bad").length} certainly bad), ${result.ingest.errors.length} problems reported ` +
        `in ${reported.size} files, ${index.size} articles indexed, ${files.reduce((n, f) => n + f.tokens.length, 0)} good articles all found`,
    );
    expect(files.filter((f) => f.generated).length).toBeGreaterThanOrEqual(1000);
    expect(missingReports).toEqual([]);
    expect(lost).toEqual([]);
  });

  it("says what was wrong with each kind of bad input", () => {
    const messages = (name: string) => result.ingest.errors.filter((e) => e.file === name).map((e) => `${e.line ?? ""} ${e.message}`);
    expect(messages("huge-line.jsonl")).toEqual(["2 record is over the 5 MB limit"]);
    expect(messages("oversized.txt")[0]).toMatch(/over the 5 MB limit/u);
    const binary = files.find((f) => f.name.startsWith("binary-"))!;
    expect(messages(binary.name)).toEqual([" binary file, not text"]);
    const lines = files.find((f) => f.name.startsWith("lines-"))!;
    expect(messages(lines.name).map((m) => m.split(" ")[0])).toEqual(["2", "3", "4", "5"]);
  });

  it("keeps every article that shares an id, under ids made unique", () => {
    const dups = index.articles.filter((a) => a.id === "same-id" || a.id.startsWith("same-id~"));
    expect(dups.length).toBe(files.filter((f) => f.name.startsWith("duplicate-id-")).length);
  });
});
