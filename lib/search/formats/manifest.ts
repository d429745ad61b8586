// A generation's manifest: what it was built from and with (format, the
// normalisation, spellings, reader aids, dictionary and word-index options),
// its counts, its word segments, and every file's size. Written last by a
// store; a generation whose manifest does not match this code is refused.
import { WORD_INDEX_OPTIONS } from "@/lib/search/formats/word-index";
import { READER_AIDS_VERSION } from "@/lib/search/reader-aids/reader-aids";
import { NORMALIZATION_VERSION, spellingVersion } from "@/lib/text/normalize";
import { dictionaryFingerprint } from "@/lib/text/segment";

export const INDEX_FORMAT = 5;

/** A word segment as a generation lists it. */
export interface SegmentInfo {
  name: string;
  /** Articles it was built from (some may be gone since). */
  docs: number;
}

export interface BuildSummary {
  /** "live": a generation with its live changes applied in memory (formats/live-changes.ts); the counts are against the generation. */
  kind: "full" | "incremental" | "live";
  added: number;
  changed: number;
  deleted: number;
  /** Articles carried over untouched. */
  kept: number;
  /** Texts jieba segmented in this build (the rest came from the segmentation cache). */
  segmented: number;
  /** Word segments merged into one in this build. */
  merged: number;
}

export interface IndexManifest {
  format: number;
  normalizationVersion: number;
  /** The regional spelling dictionaries the texts were normalised with. */
  spellings: string;
  /** The format of the reader aids (reader-aids.ts). */
  readerAids: number;
  dictionary: string;
  wordIndexOptions: typeof WORD_INDEX_OPTIONS;
  articles: number;
  chars: number;
  ngrams: number;
  /** The next unused serial number (see word-index.ts). */
  nextSerial: number;
  segments: SegmentInfo[];
  build: BuildSummary;
  builtAt: string;
  /** Byte size of every file of the generation, checked before loading (set when saved). */
  files?: Record<string, number>;
  /** sha256 of every document original the articles refer to (set when saved): kept while the generation is. */
  originals?: string[];
  /** Ids of articles editors withdrew (not indexed; their pages answer 410 Gone), sorted. */
  withdrawn?: string[];
  /** Synonym groups added in the back office ("a | b"), applied by servers while this generation serves. */
  synonyms?: string[];
  /** Set in memory on a generation with live changes applied: what serves, on which generation, and how far. */
  live?: { name: string; base: string; seq: number; removed: number; at: string };
}

/** Why a generation built with other rules than this code's cannot be used (`where` names its file or row), or null when it can. */
export function manifestMismatch(manifest: IndexManifest, where: string): string | null {
  const expected: Array<[keyof IndexManifest, unknown]> = [
    ["format", INDEX_FORMAT],
    ["normalizationVersion", NORMALIZATION_VERSION],
    ["spellings", spellingVersion()],
    ["readerAids", READER_AIDS_VERSION],
    ["dictionary", dictionaryFingerprint()],
  ];
  for (const [key, value] of expected) {
    if (manifest[key] !== value) {
      return `search: ${where}: built with ${key} ${JSON.stringify(manifest[key])}, this code needs ${JSON.stringify(value)}; rebuild with npm run index -- --full`;
    }
  }
  if (JSON.stringify(manifest.wordIndexOptions) !== JSON.stringify(WORD_INDEX_OPTIONS)) {
    return `search: ${where}: word index options differ from this code's; rebuild with npm run index -- --full`;
  }
  return null;
}

/** Where each serial number is now: null when serials are the document numbers (a full build, nothing gone). */
export function docOfSerial(manifest: IndexManifest, serials: Uint32Array): Int32Array | null {
  const identity = manifest.segments.length === 1 && manifest.nextSerial === serials.length && serials.every((s, doc) => s === doc);
  if (identity) return null;
  const map = new Int32Array(manifest.nextSerial).fill(-1);
  serials.forEach((serial, doc) => (map[serial] = doc));
  return map;
}
