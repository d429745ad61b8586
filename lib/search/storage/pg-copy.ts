// PostgreSQL's binary COPY format, both ways, for the bulk rows of a
// generation (articles, n-gram postings). Row-by-row INSERTs of ~750k
// postings rows cost minutes; COPY streams them in seconds, and the binary
// form carries bytea as raw bytes instead of doubling them into hex.
//
//   header: "PGCOPY\n\xff\r\n\0", int32 flags, int32 extension length
//   tuple:  int16 field count, then per field int32 length (-1 = NULL) and the bytes
//   end:    int16 -1
// All integers big-endian. https://www.postgresql.org/docs/current/sql-copy.html
import type { Readable, Writable } from "node:stream";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);

/** A field of a row to write: a number is written as the column's integer type (`int2`, `int4` or `int8`, per the writer's column list). */
export type CopyField = number | string | Uint8Array | null;

/** Writes rows to a `COPY … FROM STDIN (FORMAT binary)` stream, in ~1 MB pieces, waiting when the stream is full. */
export class CopyWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private n = 0;

  constructor(
    private readonly out: Writable,
    /** Each column's binary form: 4- or 8-byte integers, or bytes (text, bytea). */
    private readonly columns: ReadonlyArray<"int2" | "int4" | "int8" | "bytes">,
  ) {
    this.put(HEADER);
  }

  private room(bytes: number): void {
    if (this.n + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + bytes));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }

  private put(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  async row(fields: CopyField[]): Promise<void> {
    this.room(2);
    this.buf.writeInt16BE(fields.length, this.n);
    this.n += 2;
    fields.forEach((f, i) => {
      const kind = this.columns[i];
      this.room(8 + 4);
      if (f === null) {
        this.buf.writeInt32BE(-1, this.n);
        this.n += 4;
      } else if (kind === "int2") {
        this.buf.writeInt32BE(2, this.n);
        this.buf.writeInt16BE(f as number, this.n + 4);
        this.n += 6;
      } else if (kind === "int4") {
        this.buf.writeInt32BE(4, this.n);
        this.buf.writeInt32BE(f as number, this.n + 4);
        this.n += 8;
      } else if (kind === "int8") {
        this.buf.writeInt32BE(8, this.n);
        this.buf.writeBigInt64BE(BigInt(f as number), this.n + 4);
        this.n += 12;
      } else {
        const bytes = typeof f === "string" ? Buffer.from(f, "utf8") : (f as Uint8Array);
        this.buf.writeInt32BE(bytes.length, this.n);
        this.n += 4;
        this.put(bytes);
      }
    });
    if (this.n >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.buf.subarray(0, this.n));
    this.n = 0;
    if (!this.out.write(chunk)) await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.out.once("error", onError);
      this.out.once("drain", () => {
        this.out.off("error", onError);
        resolve();
      });
    });
  }

  /** Writes the trailer and waits until PostgreSQL has taken every row. */
  async end(): Promise<void> {
    this.room(2);
    this.buf.writeInt16BE(-1, this.n);
    this.n += 2;
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once("error", reject);
      this.out.once("finish", resolve);
      this.out.end();
    });
  }
}

/**
 * A row of a binary COPY as it lies in the stream's buffer: field k is
 * buf[at[k], at[k] + len[k]), or NULL where at[k] is −1. The same object is
 * handed out for every row, valid only during the call: copy what you keep.
 */
export interface RawRow {
  buf: Buffer;
  at: Int32Array;
  len: Int32Array;
  count: number;
}

/** Field k of a raw row as UTF-8 text (not NULL). */
export const rawText = (r: RawRow, k: number): string => r.buf.toString("utf8", r.at[k], r.at[k] + r.len[k]);

/** Field k of a raw row as a 4-byte integer (not NULL). */
export const rawInt4 = (r: RawRow, k: number): number => r.buf.readInt32BE(r.at[k]);

/**
 * Reads a `COPY … TO STDOUT (FORMAT binary)` stream row by row. Each field
 * is a view into the stream's buffer, valid only during the call: copy what
 * you keep.
 */
export function readCopy(stream: Readable, onRow: (fields: Array<Buffer | null>) => void, where: string): Promise<number> {
  return readCopyRaw(
    stream,
    (r) => {
      const fields: Array<Buffer | null> = [];
      for (let k = 0; k < r.count; k++) fields.push(r.at[k] < 0 ? null : r.buf.subarray(r.at[k], r.at[k] + r.len[k]));
      onRow(fields);
    },
    where,
  );
}

/**
 * readCopy without a Buffer per field: a lean server streams a million rows
 * of nine fields at start-up, and making a view of each was ~0.4 s of it.
 */
export async function readCopyRaw(stream: Readable, onRow: (row: RawRow) => void, where: string): Promise<number> {
  // Bytes of an unfinished tuple wait in `parts` until `need` bytes are there: a large field (a
  // 30 MB word-index entry) arrives in hundreds of chunks, and joining at every chunk would copy
  // it hundreds of times.
  let parts: Buffer[] = [];
  let have = 0;
  let need = HEADER.length;
  let headerDone = false;
  let ended = false;
  let rows = 0;
  const row: RawRow = { buf: Buffer.alloc(0), at: new Int32Array(16), len: new Int32Array(16), count: 0 };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (ended) continue;
    parts.push(chunk);
    have += chunk.length;
    if (have < need) continue;
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
    row.buf = buf;
    let at = 0;
    need = 0;
    if (!headerDone) {
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error(`search: ${where}: not a binary COPY stream`);
      at = SIGNATURE.length + 8 + buf.readInt32BE(SIGNATURE.length + 4);
      headerDone = true;
    }
    for (;;) {
      if (buf.length - at < 2) {
        need = 2;
        break;
      }
      const count = buf.readInt16BE(at);
      if (count === -1) {
        ended = true;
        at += 2;
        break;
      }
      if (count > row.at.length) {
        row.at = new Int32Array(count);
        row.len = new Int32Array(count);
      }
      // The whole tuple must be in the buffer before it is handed out.
      let p = at + 2;
      for (let f = 0; f < count; f++) {
        if (buf.length - p < 4) {
          need = p + 4 - at;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        if (len === -1) {
          row.at[f] = -1;
          row.len[f] = 0;
          continue;
        }
        if (buf.length - p < len) {
          need = p + len - at;
          break;
        }
        row.at[f] = p;
        row.len[f] = len;
        p += len;
      }
      if (need) break;
      row.count = count;
      onRow(row);
      rows++;
      at = p;
    }
    parts = at < buf.length ? [buf.subarray(at)] : [];
    have = buf.length - at;
  }
  if (!ended) throw new Error(`search: ${where}: the COPY stream ended early`);
  return rows;
}
