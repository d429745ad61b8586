// Live changes (formats/live-changes.ts): what an index run writes when only a
// few articles came, changed or went since the live generation, instead of a
// whole generation. The run compares the content with the generation (as an
// incremental build does), segments the new texts only, and computes what is
// library-wide (related articles, repost groups, the vocabulary's counts) over
// the whole library, so a server applying the changes answers exactly as a
// full build of the same content would.
//
// A long-lived process (--watch, the back office's index service) keeps the
// generation it builds on in a LiveBase between runs: its ids, key terms and
// weights, word counts, and the words of every text it segmented since.
import type { Article } from "@/lib/content/article";
import type { FileOutcome, IngestLedger } from "@/lib/content/ingest";
import { searchableText, storedOf, type StoredArticle } from "@/lib/search/formats/article-record";
import type { AidsPart, PreviousGeneration } from "@/lib/search/formats/generation";
import { LIVE_CHANGES_VERSION, livePatch, oldDocs, type LiveArticle, type LiveChanges } from "@/lib/search/formats/live-changes";
import { compareWithPrevious, oldDocsById } from "@/lib/search/build/incremental";
import { stepTimer } from "@/lib/search/build/parts";
import type { Segmenter } from "@/lib/search/build/segmenter";
import { aidsBase, liveAids, type AidsBase } from "@/lib/search/reader-aids/live-aids";
import { bodySignatures, keyTerms, RELATED, SIGNATURE_STRIDE, vocabularyChanges, type KeyTerms } from "@/lib/search/reader-aids/reader-aids";

/** The generation live changes are made against, with what runs learn about it, kept between runs. */
export interface LiveBase {
  name: string;
  previous: PreviousGeneration;
  /** What each input file gave in the last run (the next run's ingest reuses it). */
  inputs: FileOutcome[];
  aids: Promise<AidsPart>;
  /** Its documents by id and by content hash (undamaged ones), made on the first run. */
  oldByKey?: Map<string, number>;
  docOfHash?: Map<string, number>;
  /** What each file gave the last run (its articles revived from this generation), for the next run's ingest. */
  ledger?: IngestLedger;
  /** Its LSH buckets and key-term postings, made on the first run that needs them. */
  aidsBase?: Promise<AidsBase>;
  /** Words and key terms of the texts segmented since the generation, by content hash. */
  words: Map<string, { words: string[]; terms: KeyTerms | null }>;
  /** Words and text length of the generation's documents that went (their counts come out), by document. */
  removedWords: Map<number, { words: string[]; chars: number }>;
  /** Articles written into live changes, by content hash (the next run's ingest may take them back unread). */
  articles: Map<string, StoredArticle>;
  /** The last changes written for this generation (0: none yet). */
  seq: number;
  /** Their fingerprint: a run whose changes are the same writes nothing. */
  last: string | null;
}

export function liveBase(name: string, previous: PreviousGeneration, inputs: FileOutcome[], seq: number): LiveBase {
  const aids = previous.aids();
  aids.catch(() => undefined);
  return { name, previous, inputs, aids, words: new Map(), removedWords: new Map(), articles: new Map(), seq, last: null };
}

/** How many articles may differ from the generation (new, changed or gone) before a run writes a whole generation instead. */
export function liveLimit(articles: number): number {
  return Math.max(500, Math.ceil(articles / 100));
}

export interface LiveBuild {
  changes: LiveChanges;
  /** Texts jieba segmented in this run. */
  segmented: number;
  timings: Record<string, number>;
  /** Whether nothing differs from the last changes written (or, with none, from the generation). */
  unchanged: boolean;
  /** What the changes are, for the next run's `unchanged` (the caller sets base.last once they are saved). */
  fingerprint: string;
  stored: StoredArticle[];
}

/**
 * The live changes that make `base`'s generation into `input` (the whole
 * content in full-build order), or null when more than liveLimit articles
 * differ (the caller builds a whole generation).
 */
export async function buildLive(input: Article[], base: LiveBase, segment: Segmenter, fields: { withdrawn: string[]; synonyms: string[] }, limit = liveLimit(input.length)): Promise<LiveBuild | null> {
  const { timings, step } = stepTimer();
  const prev = base.previous;
  base.oldByKey ??= oldDocsById(prev);
  const c = compareWithPrevious(input, prev, { readRemoved: false, carry: false, oldByKey: base.oldByKey });
  const removed: number[] = [];
  c.remap.forEach((doc, old) => doc < 0 && removed.push(old));
  // A damaged stored article is repaired by writing the generation again.
  if (c.repaired.length || c.addedDocs.length + removed.length > limit) return null;
  step("compare");
  const n = input.length;
  const stored = c.addedDocs.map((doc) => storedOf(input[doc]));
  const texts = stored.map(searchableText);
  step("normalize");

  // jieba for the texts not seen since the generation, and the gone documents' old texts (once each).
  const fresh = [...new Set(stored.filter((a) => !base.words.has(a.contentHash)).map((a) => a.contentHash))];
  const freshText = new Map(stored.map((a, k) => [a.contentHash, texts[k]]));
  const gone = removed.filter((old) => !base.removedWords.has(old));
  if (fresh.length || gone.length) {
    const goneTexts = gone.map((old) => searchableText(prev.article(old)));
    const done = await segment([...fresh.map((h) => freshText.get(h)!), ...goneTexts]);
    fresh.forEach((h, i) => base.words.set(h, { words: done.words[i], terms: done.terms?.[i] ?? null }));
    gone.forEach((old, i) => base.removedWords.set(old, { words: done.words[fresh.length + i], chars: goneTexts[i].length }));
  }
  step("words");

  const { aids: before, df } = await base.aids;
  // Counts of the words that came and went, then the vocabulary's changes.
  const counts = new Map<string, number>();
  const count = (list: readonly string[], sign: number) => {
    for (const w of list) counts.set(w, (counts.get(w) ?? df.get(w) ?? 0) + sign);
  };
  for (const old of removed) count(base.removedWords.get(old)!.words, -1);
  const addedWords = stored.map((a) => base.words.get(a.contentHash)!);
  for (const w of addedWords) count(w.words, 1);
  const vocabulary = vocabularyChanges(before.vocabulary, (w) => df.get(w) ?? 0, counts);

  // Key terms and signatures of the added articles; repost groups and related articles of the articles that can change.
  const oldOf = oldDocs(c.remap, n);
  const terms = addedWords.map((w, k) => w.terms ?? keyTerms(texts[k], w.words));
  const signatures = bodySignatures(texts);
  base.aidsBase ??= base.aids.then((a) => aidsBase(a.aids));
  const { related, groupOf } = liveAids(await base.aidsBase, {
    articles: n,
    remap: c.remap,
    oldOf,
    added: c.addedDocs.map((doc, k) => ({ doc, signature: signatures.subarray(k * SIGNATURE_STRIDE, (k + 1) * SIGNATURE_STRIDE), keywords: terms[k].terms, weights: terms[k].weights })),
    removed,
  });
  step("reader aids");

  const added: LiveArticle[] = c.addedDocs.map((doc, k) => ({
    doc,
    json: JSON.stringify(stored[k]),
    words: addedWords[k].words.join(" "),
    keywords: terms[k].terms,
    signature: Array.from(signatures.subarray(k * SIGNATURE_STRIDE, (k + 1) * SIGNATURE_STRIDE)),
  }));
  const length = (list: string[]) => list.reduce((k, t) => k + t.length, 0);
  let removedChars = 0;
  for (const old of removed) removedChars += base.removedWords.get(old)!.chars;
  const fingerprint = JSON.stringify([c.addedDocs, removed, stored.map((a) => a.contentHash), fields.withdrawn, fields.synonyms]);
  const unchanged = fingerprint === (base.last ?? JSON.stringify([[], [], [], prev.manifest.withdrawn ?? [], prev.manifest.synonyms ?? []]));
  const changes: LiveChanges = {
    version: LIVE_CHANGES_VERSION,
    base: base.name,
    seq: base.seq + 1,
    articles: n,
    chars: prev.manifest.chars - removedChars + length(texts),
    removed,
    added,
    changed: c.changed,
    deleted: c.deleted,
    // Where they differ from the base's: a change touches a few articles' related articles, not the library's.
    related: livePatch(related, before.related, oldOf, c.remap, RELATED),
    groupOf: livePatch(groupOf, before.groupOf, oldOf, c.remap, 1),
    vocabulary,
    withdrawn: fields.withdrawn,
    synonyms: fields.synonyms,
    at: new Date().toISOString(),
  };
  return { changes, segmented: fresh.length, timings, unchanged, fingerprint, stored };
}
