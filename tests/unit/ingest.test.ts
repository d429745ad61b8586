import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPreview } from "@/lib/content/article";
import { formatProblem } from "@/lib/content/errors";
import { idFromPath, ingest } from "@/lib/content/ingest";

let dir: string;
const GOOD_MD = (title: string, extra = "") => `---\ntitle: ${title}\nauthor: 孙伟\ndate: 2020-01-02\n${extra}---\n\n${title}的正文。\n`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-test-"));
  const w = (name: string, data: string | Buffer) => fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true }).then(() => fs.writeFile(path.join(dir, name), data));
  await w("good/one.md", GOOD_MD("第一篇"));
  await w("good/two.md", GOOD_MD("第二篇", "id: shared-id\n"));
  await w("good/three.md", GOOD_MD("第三篇", "id: shared-id\n"));
  await w("bad/empty.md", "  \n\n");
  await w("bad/binary.html", Buffer.from([0x3c, 0x70, 0x3e, 0x00, 0x01, 0x02, 0xff]));
  await w("bad/huge.txt", "党".repeat(2000));
  await w("bad/no-title.txt", "这是一段很长的正文，没有标题，只有句子。\n第二段。");
  await w("bad/front-matter.md", "---\ntitle: [broken\n---\n正文");
  await w("bad/records.jsonl", [JSON.stringify({ id: "r1", title: "记录一", body: "正文一" }), "{oops", JSON.stringify({ id: "r3", title: "", body: "没有标题" })].join("\n"));
  await w("notes.xlsx", "ignored");
  await fs.symlink(path.join(dir, "missing.md"), path.join(dir, "bad/dangling.md"));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("ingest", () => {
  it("reports every bad input as file[:line]: problem, and still ingests the good ones", async () => {
    const result = await ingest([dir], { maxFileBytes: 4000 });
    const messages = result.errors.map(formatProblem).sort();
    expect(messages).toEqual([
      "bad/binary.html: binary file, not text",
      expect.stringMatching(/^bad\/dangling\.md: cannot read file \(ENOENT\)$/),
      "bad/empty.md: empty file",
      expect.stringMatching(/^bad\/front-matter\.md: bad front matter: /),
      expect.stringMatching(/^bad\/huge\.txt: file is 0\.0 MB, over the 0 MB limit$/),
      "bad/no-title.txt: no title found (first 80 chars: \"这是一段很长的正文，没有标题，只有句子。 第二段。\")",
      expect.stringMatching(/^bad\/records\.jsonl:2: not valid JSON/),
      "bad/records.jsonl:3: no title found (first 80 chars: \"没有标题\")",
    ]);
    expect(result.articles.map((a) => a.title).sort()).toEqual(["第一篇", "第三篇", "第二篇", "记录一"]);
    expect(result.ignored).toEqual(["notes.xlsx"]);
  });

  it("keeps both articles with a duplicate id under distinct ids and says so", async () => {
    const result = await ingest([path.join(dir, "good")]);
    const ids = result.articles.map((a) => a.id).sort();
    expect(ids).toEqual(["one", "shared-id", "shared-id~2"]);
    const second = result.articles.find((a) => a.id === "shared-id~2")!;
    // Files are read in name order: three.md comes first and keeps the id.
    expect(second.origin).toBe("two.md");
    expect(second.warnings[0]).toBe('duplicate id "shared-id" (also in three.md); kept as "shared-id~2"');
  });

  it("prints the documented preview keys", async () => {
    const result = await ingest([path.join(dir, "good/one.md")]);
    expect(Object.keys(toPreview(result.articles[0]))).toEqual(["id", "title", "author", "source", "date", "url", "body", "script", "warnings"]);
  });

  it("reports a path that does not exist", async () => {
    const result = await ingest([path.join(dir, "nope")]);
    expect(result.errors[0].message).toMatch(/cannot read \(ENOENT\)/);
  });
});

describe("idFromPath", () => {
  it("makes a URL-safe id from a relative path", () => {
    expect(idFromPath("2019/学习 笔记.md")).toBe("2019-学习-笔记");
  });
});

describe("the bundled sample content", () => {
  it("ingests without errors, in both scripts, with several authors, sources and years", async () => {
    const result = await ingest([path.resolve(__dirname, "../../content")]);
    expect(result.errors).toEqual([]);
    const articles = result.articles;
    expect(articles.length).toBeGreaterThanOrEqual(20);
    expect(articles.length).toBeLessThanOrEqual(40);
    expect(new Set(articles.map((a) => a.script))).toEqual(new Set(["Simplified", "Traditional"]));
    expect(new Set(articles.flatMap((a) => a.authors)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(articles.map((a) => a.source)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(articles.map((a) => a.date?.slice(0, 4))).size).toBeGreaterThanOrEqual(8);
    const gbk = articles.find((a) => a.origin === "scraped/2020-volunteer-gbk.html")!;
    expect(gbk.paragraphs[0]).toContain("城南社区党委");
    const big5 = articles.find((a) => a.origin === "scraped/2016-double-ninth-big5.txt")!;
    expect(big5).toMatchObject({ title: "社區黨委開展重陽敬老活動", script: "Traditional", date: "2016-10-09" });
    const scrape = articles.find((a) => a.origin === "scraped/2022-normalized-prevention.txt")!;
    expect(scrape.paragraphs.join("\n")).not.toMatch(/觀看|<|作者/);
  });
});
