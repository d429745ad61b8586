import { describe, expect, it } from "vitest";
import { decodeBytes } from "@/lib/content/decode";

const gbk = (hex: string) => Buffer.from(hex.replace(/\s+/g, ""), "hex");
// "党建工作要扎实推进，服务群众。" in GBK and "黨建工作要紮實推進，服務群眾。" in Big5, byte for byte.
const GBK_TEXT = gbk("b5b3 bda8 b9a4 d7f7 d2aa d4fa cab5 cdc6 bdf8 a3ac b7fe cef1 c8ba d6da a1a3");
const BIG5_TEXT = gbk("c4d2 abd8 a475 a740 ad6e b2cf b9ea b1c0 b669 a141 aa41 b0c8 b873 b2b3 a143");

describe("decodeBytes", () => {
  it("decodes UTF-8 with and without a BOM", () => {
    expect(decodeBytes(Buffer.from("党建", "utf8"))).toMatchObject({ text: "党建", encoding: "utf-8" });
    expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("党建")]))).toMatchObject({ text: "党建", how: "bom" });
  });

  it("decodes GBK declared in a meta tag", () => {
    const page = Buffer.concat([Buffer.from('<meta charset="gb2312"><p>'), GBK_TEXT]);
    const d = decodeBytes(page);
    expect(d).toMatchObject({ encoding: "gb18030", how: "declared" });
    expect(d.text).toContain("党建工作要扎实推进，服务群众。");
  });

  it("guesses GBK without a declaration", () => {
    expect(decodeBytes(GBK_TEXT)).toMatchObject({ text: "党建工作要扎实推进，服务群众。", encoding: "gb18030", how: "guessed" });
  });

  it("guesses Big5 without a declaration", () => {
    expect(decodeBytes(BIG5_TEXT)).toMatchObject({ text: "黨建工作要紮實推進，服務群眾。", encoding: "big5", how: "guessed" });
  });

  it("decodes Big5 declared in http-equiv content", () => {
    const page = Buffer.concat([Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=big5">'), BIG5_TEXT]);
    expect(decodeBytes(page).text).toContain("黨建工作");
  });

  it("trusts the bytes over a stale declaration", () => {
    const page = Buffer.from('<meta charset="gbk"><p>党建工作</p>', "utf8");
    expect(decodeBytes(page)).toMatchObject({ encoding: "utf-8" });
    expect(decodeBytes(page).text).toContain("党建工作");
  });
});
