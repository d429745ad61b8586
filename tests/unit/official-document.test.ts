// 公文 fields (GB/T 9704-2012) recognised from generated documents' lines:
// 发文机关, 发文字号 (every bracket style), 文种, the title (also over two
// lines) and the 成文日期 (Arabic and Chinese numerals).
import { describe, expect, it } from "vitest";
import { docTypeOfTitle, findDocDate, findDocNumber, officialFields } from "@/lib/content/documents/official-document";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ingest } from "@/lib/content/ingest";
import { officialFixtures, officialHtml } from "@/testkit/documents";

describe("official documents (公文)", () => {
  it("gets every field right on at least 95% of 400 generated variants", () => {
    const fixtures = officialFixtures(400);
    const wrong: string[] = [];
    for (const f of fixtures) {
      const got = officialFields(f.lines);
      const fields = got && { issuer: got.issuer, docNumber: got.docNumber, docType: got.docType, title: got.title, date: got.date };
      if (JSON.stringify(fields) !== JSON.stringify(f.expected)) wrong.push(`${JSON.stringify(f.expected)}\n  got ${JSON.stringify(fields)}\n  from ${f.lines.slice(0, 6).join(" | ")}`);
    }
    const accuracy = 1 - wrong.length / fixtures.length;
    console.log(`公文 fields: ${fixtures.length - wrong.length}/${fixtures.length} variants right (${(accuracy * 100).toFixed(1)}%)`);
    if (wrong.length) console.log(wrong.slice(0, 5).join("\n"));
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("reads a document number in any bracket style, in the standard's form", () => {
    for (const n of ["中组发〔2024〕3号", "中组发[2024]3号", "中组发［2024］3号", "中组发(2024)3号", "中组发（2024）3号", "中组发【2024】03号", "中组发 〔 2024 〕 3 号"])
      expect(findDocNumber(n), n).toBe("中组发〔2024〕3号");
    expect(findDocNumber("会议于2024年召开")).toBeNull();
  });

  it("reads dates in Chinese numerals", () => {
    expect(findDocDate("二〇二四年三月五日")).toBe("2024-03-05");
    expect(findDocDate("二〇一九年十二月三十一日")).toBe("2019-12-31");
    expect(findDocDate("二〇二三年二月三十日")).toBeNull();
    expect(findDocDate("2024年10月1日")).toBe("2024-10-01");
  });

  it("takes the 文种 from the end of the title, longest first", () => {
    expect(docTypeOfTitle("关于印发《某某办法》的通知")).toBe("通知");
    expect(docTypeOfTitle("关于加强党建工作的实施意见")).toBe("实施意见");
    expect(docTypeOfTitle("支部委员会会议纪要")).toBe("纪要");
    expect(docTypeOfTitle("我的入党心得")).toBeNull();
  });

  it("reads the same fields from 公文 published as web pages and saved as text (100 variants each, ≥ 95% right)", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "official-text-"));
    try {
      const fixtures = officialFixtures(100, 2012);
      for (const [i, f] of fixtures.entries()) {
        await fs.writeFile(path.join(dir, `page-${i}.html`), officialHtml(f));
        await fs.writeFile(path.join(dir, `text-${i}.txt`), f.lines.join("\n"));
      }
      const { articles, errors } = await ingest([dir]);
      expect(errors).toEqual([]);
      let right = 0;
      for (const a of articles) {
        const want = fixtures[Number(/-(\d+)\./u.exec(a.origin)![1])].expected;
        if (JSON.stringify({ issuer: a.issuer, docNumber: a.docNumber, docType: a.docType, title: a.title, date: a.date }) === JSON.stringify(want)) right++;
      }
      console.log(`公文 fields from web pages and text: ${right}/${articles.length} right`);
      expect(articles).toHaveLength(200);
      expect(right / articles.length).toBeGreaterThanOrEqual(0.95);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("takes a title over two lines only up to its 文种", () => {
    const f = officialFields(["某组发〔2024〕3号", "关于开展主题党日活动的通知", "关于开展主题党日活动的通知", "各党支部：", "正文。"]);
    expect(f?.title).toBe("关于开展主题党日活动的通知");
  });

  it("leaves an ordinary article alone", () => {
    expect(officialFields(["学习强国心得体会", "通过这段时间的学习，我深刻认识到理论学习的重要性。", "今后我将继续努力。"])).toBeNull();
  });
});
