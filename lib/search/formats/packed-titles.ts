// Titles packed as UTF-16 code units one after another, with where each
// starts: what the engine keeps of every title (normalised) and what a lean
// loader reads from its store (as written), with no string per title.
/** Titles as code units one after another: title `doc` is units[start[doc], start[doc + 1]). */
export interface PackedTitles {
  units: Uint16Array;
  start: Uint32Array;
}

/** Packs titles added one at a time, in document order. */
export class TitlePacker {
  private units: Uint16Array;
  private readonly start: Uint32Array;
  private count = 0;

  /** `units`: how many code units the titles are expected to take (it grows past that if needed). */
  constructor(titles: number, units: number) {
    this.start = new Uint32Array(titles + 1);
    this.units = new Uint16Array(Math.max(64, units));
  }

  /** Grows the units to hold `end` of them. */
  private room(end: number): void {
    if (end <= this.units.length) return;
    const grown = new Uint16Array(Math.max(this.units.length * 2, end));
    grown.set(this.units);
    this.units = grown;
  }

  /** Adds the next title; returns where it starts. */
  add(t: string): number {
    const at = this.start[this.count];
    this.room(at + t.length);
    for (let i = 0; i < t.length; i++) this.units[at + i] = t.charCodeAt(i);
    this.start[++this.count] = at + t.length;
    return at;
  }

  /** Adds the next title from its UTF-16LE bytes, bytes[from, to) (as a store keeps a normalised title); returns where it starts. */
  addUtf16le(bytes: Uint8Array, from = 0, to = bytes.length): number {
    const at = this.start[this.count];
    const n = (to - from) >>> 1;
    this.room(at + n);
    for (let i = 0; i < n; i++) this.units[at + i] = bytes[from + 2 * i] | (bytes[from + 2 * i + 1] << 8);
    this.start[++this.count] = at + n;
    return at;
  }

  /** Adds the next title as code units already packed elsewhere (units[from, to)); returns where it starts. */
  addUnits(units: Uint16Array, from: number, to: number): number {
    const at = this.start[this.count];
    const n = to - from;
    this.room(at + n);
    // A loop, not set(subarray()): a live segment copies every kept title (295k at ×10), and each subarray is an object.
    for (let i = 0; i < n; i++) this.units[at + i] = units[from + i];
    this.start[++this.count] = at + n;
    return at;
  }

  done(): PackedTitles {
    const used = this.start[this.count];
    // A copy only where much is spare: the packed units are the largest per-article array a lean index keeps.
    return { units: this.units.length - used > used / 8 ? this.units.slice(0, used) : this.units.subarray(0, used), start: this.start };
  }
}

/** Title `doc` of packed titles, unit for unit (lone surrogates too). */
export function unpackTitle(p: PackedTitles, doc: number): string {
  let out = "";
  for (let at = p.start[doc], end = p.start[doc + 1]; at < end; at += 4096) out += String.fromCharCode(...p.units.subarray(at, Math.min(end, at + 4096)));
  return out;
}
