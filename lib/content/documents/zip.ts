// Just enough of the zip format to check a .docx before a library unpacks it:
// the central directory's entries and sizes, and that each entry inflates to
// no more than it declares. A zip bomb (a few kilobytes that inflate to
// gigabytes) or a truncated archive is refused here, in bounded memory,
// instead of exhausting the indexer.
import { inflateRawSync } from "node:zlib";

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
}

/** The central directory's entries, or null when there is none to be found (not a zip, or cut short). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  // The end record is within the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString("utf8", at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

export interface ZipLimits {
  /** Largest total of the entries' inflated sizes. */
  maxTotalBytes: number;
  maxEntries: number;
}

/**
 * Checks an archive before it is unpacked: a readable directory, not too many
 * entries, declared sizes within bounds, and every entry inflating to exactly
 * its declared size (a lying header is how bombs pass size checks). Returns
 * what is wrong, or null when it is sound.
 */
export function zipProblem(bytes: Uint8Array, limits: ZipLimits): string | null {
  const entries = zipEntries(bytes);
  if (!entries) return "not a complete zip archive (truncated or damaged)";
  if (entries.length > limits.maxEntries) return `archive has ${entries.length} entries, over the ${limits.maxEntries} limit`;
  let total = 0;
  for (const e of entries) total += e.size;
  if (total > limits.maxTotalBytes) return `archive unpacks to ${mb(total)}, over the ${mb(limits.maxTotalBytes)} limit (a zip bomb?)`;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (const e of entries) {
    if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) return `entry ${e.name} is missing (truncated archive)`;
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    if (start + e.compressedSize > buf.length) return `entry ${e.name} is cut short (truncated archive)`;
    const data = buf.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.size !== e.compressedSize) return `entry ${e.name} declares ${e.size} bytes but stores ${e.compressedSize}`;
      continue;
    }
    if (e.method !== 8) return `entry ${e.name} uses compression method ${e.method}, which Word files do not`;
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size + 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE") return `entry ${e.name} inflates to more than the ${e.size} bytes it declares (a zip bomb?)`;
      return `entry ${e.name} is damaged (${(err as Error).message})`;
    }
    if (inflated.length !== e.size) return `entry ${e.name} inflates to ${inflated.length} bytes, not the ${e.size} it declares`;
  }
  return null;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** One entry's content (after zipProblem found the archive sound), or null when there is no such entry. */
export function zipRead(bytes: Uint8Array, name: string): Buffer | null {
  const entry = zipEntries(bytes)?.find((e) => e.name === name);
  if (!entry) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const start = entry.offset + 30 + buf.readUInt16LE(entry.offset + 26) + buf.readUInt16LE(entry.offset + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  return entry.method === 0 ? Buffer.from(data) : inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size + 1) });
}
