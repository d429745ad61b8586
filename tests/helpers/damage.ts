// Damage to a generation's article file as bit rot or a bad copy leaves it:
// one character turned into its neighbour, the JSON still valid and the file
// the same size (only the article's checksum tells).
import { promises as fs } from "node:fs";
import path from "node:path";

/** Where each article starts and ends in a build folder's article file (UTF-16 units, two a document). */
export async function articleOffsets(build: string): Promise<Uint32Array> {
  return new Uint32Array(new Uint8Array(await fs.readFile(path.join(build, "articles.offsets"))).buffer);
}

/** A copy of an article file's bytes with the last CJK character of article `doc` turned into its neighbour. */
export function withFlippedCharacter(bytes: Buffer, offsets: Uint32Array, doc: number): Buffer {
  const out = Buffer.from(bytes);
  let at = offsets[2 * doc + 1] * 2;
  do at -= 2;
  while (!(out.readUInt16LE(at) >= 0x4e00 && out.readUInt16LE(at) < 0x9fa5));
  out.writeUInt16LE(out.readUInt16LE(at) + 1, at);
  return out;
}

/** Flips a character of article `doc` in a build folder's article file, in place. */
export async function flipCharacter(build: string, doc: number): Promise<void> {
  const file = path.join(build, "articles.utf16.json");
  await fs.writeFile(file, withFlippedCharacter(await fs.readFile(file), await articleOffsets(build), doc));
}
