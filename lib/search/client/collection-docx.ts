// A 素材夹 as a Word document (the docx library, loaded only when a reader
// exports): a heading, then each excerpt, its note, its GB/T 7714-2015
// citation (numbered) and a link to the passage, ready to paste into a report.
import { Document, ExternalHyperlink, HeadingLevel, Paragraph, TextRun } from "docx";
import type { Collection } from "@/lib/search/client/collections";

const FONT = { ascii: "Times New Roman", eastAsia: "SimSun", hAnsi: "Times New Roman" };

export function collectionDocument(c: Collection, now = new Date()): Document {
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: c.name, font: FONT })] }),
    new Paragraph({ children: [new TextRun({ text: `共 ${c.items.length} 条摘录，导出于 ${now.toISOString().slice(0, 10)}`, size: 20, color: "666666", font: FONT })] }),
  ];
  c.items.forEach((e, i) => {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `${i + 1}. ${e.title}${e.paragraph ? `（第 ${e.paragraph} 段）` : "（全文）"}`, font: FONT })] }));
    for (const line of e.text.split("\n").filter(Boolean)) children.push(new Paragraph({ indent: { firstLine: 480 }, spacing: { line: 360 }, children: [new TextRun({ text: line, font: FONT, size: 24 })] }));
    if (e.note.trim()) children.push(new Paragraph({ children: [new TextRun({ text: `批注：${e.note.trim()}`, italics: true, font: FONT, size: 21 })] }));
    children.push(new Paragraph({ children: [new TextRun({ text: `出处：[${i + 1}] ${e.citation}`, font: FONT, size: 21 })] }));
    children.push(
      new Paragraph({
        children: [new TextRun({ text: "链接：", font: FONT, size: 21 }), new ExternalHyperlink({ link: e.link, children: [new TextRun({ text: e.link, style: "Hyperlink", size: 21 })] })],
        spacing: { after: 240 },
      }),
    );
  });
  return new Document({ creator: "党建文库检索", title: c.name, description: "素材夹导出", sections: [{ children }] });
}
