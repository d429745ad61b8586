// PostgreSQL's binary COPY format as written and read here: whatever the
// rows, and however the stream is cut into chunks (a field split anywhere,
// a 1 MB field over hundreds of chunks), every row comes back as written.
import { PassThrough, Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyWriter, readCopy } from "@/lib/search/storage/pg-copy";

type Row = [number, string, Uint8Array | null];

async function encode(rows: Row[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const w = new CopyWriter(out, ["int8", "bytes", "bytes"]);
  for (const r of rows) await w.row(r);
  await w.end();
  return Buffer.concat(chunks);
}

async function decode(bytes: Buffer, cuts: number[]): Promise<Row[]> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    if (c > from) chunks.push(bytes.subarray(from, c));
    from = Math.max(from, c);
  }
  const rows: Row[] = [];
  await readCopy(Readable.from(chunks), (f) => rows.push([Number(f[0]!.readBigInt64BE(0)), f[1]!.toString("utf8"), f[2] ? new Uint8Array(f[2]) : null]), "test");
  return rows;
}

const row = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }));

describe("binary COPY", () => {
  it("reads back every row, however the stream is cut", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 40 }), async (rows, cuts) => {
        const back = await decode(await encode(rows), cuts);
        expect(back).toEqual(rows.map(([k, s, b]) => [k, s, b === null ? null : new Uint8Array(b)]));
      }),
      { numRuns: 300 },
    );
  });

  it("reads a field of a megabyte cut into 4 kB chunks", async () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const rows: Row[] = [[1, "小", null], [2, "大", big], [3, "尾", new Uint8Array([7])]];
    const bytes = await encode(rows);
    const cuts = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => i * 4096);
    const back = await decode(bytes, cuts);
    expect(back.map(([k, s]) => [k, s])).toEqual(rows.map(([k, s]) => [k, s]));
    // Compared as one buffer: a deep comparison of a megabyte element by element takes seconds.
    expect(Buffer.from(back[1][2]!).equals(Buffer.from(big))).toBe(true);
    expect(back[0][2]).toBeNull();
    expect(Array.from(back[2][2]!)).toEqual([7]);
  });

  it("refuses a stream that is not binary COPY, or one that ends early", async () => {
    await expect(readCopy(Readable.from([Buffer.from("not a copy stream at all")]), () => {}, "t")).rejects.toThrow(/not a binary COPY stream/u);
    const bytes = await encode([[1, "党建", null]]);
    await expect(readCopy(Readable.from([bytes.subarray(0, bytes.length - 2)]), () => {}, "t")).rejects.toThrow(/ended early/u);
  });
});
