// A generation with its live changes (formats/live-changes.ts) applied in
// memory: the base's parts as they are, its gone documents masked, a small
// segment of the new and changed articles beside it, and every document at
// the place a full build of the same content gives it. Nothing of the library
// is read or rebuilt but the per-article arrays the engine makes in its
// constructor; the base stays loaded, and each newer set of changes is applied
// to it again (they are cumulative), so memory does not grow with their count.
//
// The n-gram layer merges each row it is asked for (the base's, renumbered,
// and the segment's) and keeps recent ones; the word layer gains a segment of
// its own; articles, texts, key terms and signatures are spliced; related
// articles, repost groups and the vocabulary come with the changes.
import { catalogEntryOf, searchableText, type ArticleMeta, type StoredArticle } from "@/lib/search/formats/article-record";
import { MetaColumns } from "@/lib/search/engine/article-fields";
import { liveRemap, oldDocs, patchedArray, type LiveChanges } from "@/lib/search/formats/live-changes";
import type { IndexManifest } from "@/lib/search/formats/manifest";
import { candidatesFrom, frequenciesFrom, NgramIndex, postingKey, type GramRow, type NgramLookup } from "@/lib/search/formats/ngram-index";
import { WordIndex, WordLayer } from "@/lib/search/formats/word-index";
import { RELATED, SIGNATURE_STRIDE, type ReaderAids, type Vocabulary } from "@/lib/search/reader-aids/reader-aids";
import { ByteLru, LeanReader, type CountNeed, type DocFetcher } from "@/lib/search/engine/lean-reader";
import { countBefore } from "@/lib/search/engine/order";
import { TermFinder } from "@/lib/search/engine/occurrences";
import { SearchIndex, type IndexParts } from "@/lib/search/engine/search-index";
import type { ArticleRef } from "@/lib/search/engine/types";

const EMPTY = new Uint32Array(0);
const EMPTY_FREQS = new Uint8Array(0);
/** Merged rows kept for the next queries, by bytes (the common characters' rows are the large ones). */
const KEPT_ROW_BYTES = 32 << 20;

/** A base row renumbered (gone documents dropped) merged with the live segment's row (its documents by `addedDocs`). */
function mergeRows(base: GramRow | null, added: GramRow | null, remap: Int32Array, addedDocs: Uint32Array): GramRow | null {
  const b = base?.docs.length ?? 0;
  const a = added?.docs.length ?? 0;
  const docs = new Uint32Array(b + a);
  const freqs = new Uint8Array(b + a);
  let n = 0;
  let j = 0;
  for (let i = 0; i < b; i++) {
    const doc = remap[base!.docs[i]];
    if (doc < 0) continue;
    while (j < a && addedDocs[added!.docs[j]] < doc) {
      docs[n] = addedDocs[added!.docs[j]];
      freqs[n++] = added!.freqs[j++];
    }
    docs[n] = doc;
    freqs[n++] = base!.freqs[i];
  }
  for (; j < a; j++) {
    docs[n] = addedDocs[added!.docs[j]];
    freqs[n++] = added!.freqs[j];
  }
  return n === 0 ? null : { docs: docs.subarray(0, n), freqs: freqs.subarray(0, n) };
}

/**
 * A lean index's rows with live changes: what the base's store gives for the
 * documents kept (asked by their old numbers, answered by their new ones), and
 * for the added ones what the changes hold (texts, articles, key terms, n-gram
 * rows and word lists of the live segment; long terms counted here as the
 * database counts them).
 */
class LiveFetcher implements DocFetcher {
  private readonly byId: Map<string, number>;

  constructor(
    private readonly base: DocFetcher,
    private readonly remap: Int32Array,
    private readonly oldOf: Int32Array,
    private readonly addedAt: Int32Array,
    private readonly added: Array<{ article: StoredArticle; text: string; keywords: string[] }>,
    private readonly addedDocs: Uint32Array,
    private readonly ngrams: NgramIndex,
    private readonly segment: WordIndex,
  ) {
    this.byId = new Map(added.map((a, k) => [a.article.id, addedDocs[k]]));
  }

  /** Splits documents into the added ones' places in `added` and the kept ones' old numbers. */
  private split(docs: number[]): { added: number[]; old: number[] } {
    const out = { added: [] as number[], old: [] as number[] };
    for (const doc of docs) {
      if (this.addedAt[doc] >= 0) out.added.push(doc);
      else if (this.oldOf[doc] >= 0) out.old.push(this.oldOf[doc]);
    }
    return out;
  }

  /** The base's answers for the kept documents, keyed by their new numbers, and the added ones' from `own`. */
  private async perDoc<T>(docs: number[], fetch: (old: number[]) => Promise<Map<number, T>>, own: (k: number) => T): Promise<Map<number, T>> {
    const { added, old } = this.split(docs);
    const out = new Map<number, T>();
    if (old.length) for (const [o, v] of await fetch(old)) out.set(this.remap[o], v);
    for (const doc of added) out.set(doc, own(this.addedAt[doc]));
    return out;
  }

  async grams(keys: number[]): Promise<Map<number, GramRow>> {
    const rows = await this.base.grams(keys);
    const out = new Map<number, GramRow>();
    for (const key of keys) {
      const row = mergeRows(rows.get(key) ?? null, this.ngrams.row(key), this.remap, this.addedDocs);
      if (row) out.set(key, row);
    }
    return out;
  }

  async words(words: string[]): Promise<Map<string, Uint32Array>> {
    const lists = await this.base.words(words);
    const out = new Map<string, Uint32Array>();
    for (const w of words) {
      const docs: number[] = [];
      for (const old of lists.get(w) ?? []) if (this.remap[old] >= 0) docs.push(this.remap[old]);
      for (const k of this.segment.ids(w)) docs.push(this.addedDocs[k]);
      if (docs.length) out.set(w, Uint32Array.from(docs).sort());
    }
    return out;
  }

  texts(docs: number[]): Promise<Map<number, Buffer>> {
    return this.perDoc(docs, (old) => this.base.texts(old), (k) => Buffer.from(this.added[k].text, "utf16le"));
  }

  titles(docs: number[]): Promise<Map<number, string>> {
    return this.perDoc(docs, (old) => this.base.titles(old), (k) => this.added[k].article.title);
  }

  articles(docs: number[]): Promise<Map<number, StoredArticle>> {
    return this.perDoc(docs, (old) => this.base.articles(old), (k) => this.added[k].article);
  }

  refs(docs: number[]): Promise<Map<number, ArticleRef>> {
    return this.perDoc(docs, (old) => this.base.refs(old), (k) => {
      const a = this.added[k].article;
      return { id: a.id, title: a.title, source: a.source, date: a.date };
    });
  }

  keywords(docs: number[]): Promise<Map<number, string[]>> {
    return this.perDoc(docs, (old) => this.base.keywords(old), (k) => this.added[k].keywords);
  }

  async counts(needs: CountNeed[]): Promise<Map<string, Map<number, number>>> {
    const kept = needs.map((need) => {
      const docs: number[] = [];
      const from: number[] = [];
      need.docs.forEach((doc, i) => {
        if (this.addedAt[doc] < 0 && this.oldOf[doc] >= 0) {
          docs.push(this.oldOf[doc]);
          from.push(need.from[i]);
        }
      });
      return { ...need, docs, from };
    });
    const counted = kept.some((k) => k.docs.length) ? await this.base.counts(kept.filter((k) => k.docs.length)) : new Map<string, Map<number, number>>();
    const out = new Map<string, Map<number, number>>(needs.map((n) => [n.key, new Map()]));
    for (const [key, byOld] of counted) for (const [old, n] of byOld) out.get(key)!.set(this.remap[old], n);
    for (const need of needs) {
      need.docs.forEach((doc, i) => {
        if (this.addedAt[doc] >= 0) out.get(need.key)!.set(doc, countFrom(this.added[this.addedAt[doc]].text, need.term, need.from[i], need.cap));
      });
    }
    return out;
  }

  async docsOf(ids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const rest: string[] = [];
    for (const id of ids) {
      const doc = this.byId.get(id);
      if (doc !== undefined) out.set(id, doc);
      else rest.push(id);
    }
    if (rest.length) for (const [id, old] of await this.base.docsOf(rest)) if (this.remap[old] >= 0) out.set(id, this.remap[old]);
    return out;
  }
}

/** Occurrences of `term` in `text` from unit `from` on, overlapping ones, up to `cap`: what the database's unit_count gives (a test compares them). */
function countFrom(text: string, term: string, from: number, cap: number): number {
  return new TermFinder(term, EVEN_COST).count(text, from, text.length, cap);
}
const EVEN_COST = new Float64Array(256).fill(1);

/** The base's n-gram rows renumbered, gone documents dropped, merged with the live segment's. */
class LiveNgrams implements NgramLookup {
  private readonly rows = new ByteLru<number, GramRow | null>(KEPT_ROW_BYTES, (r) => 64 + (r ? r.docs.byteLength + r.freqs.byteLength : 0));
  private readonly intersections = new Map<string, Uint32Array>();

  constructor(
    private readonly base: NgramIndex,
    private readonly remap: Int32Array,
    private readonly added: NgramIndex,
    private readonly addedDocs: Uint32Array,
  ) {}

  row(key: number): GramRow | null {
    const kept = this.rows.get(key);
    if (kept !== undefined) return kept;
    const row = mergeRows(this.base.row(key), this.added.row(key), this.remap, this.addedDocs);
    this.rows.set(key, row);
    return row;
  }

  candidates(term: string): Uint32Array {
    return candidatesFrom(term, (key) => this.row(key)?.docs ?? EMPTY, this.intersections);
  }

  postingsOf(term: string): { docs: Uint32Array; freqs: Uint8Array } {
    return this.row(postingKey(term)) ?? { docs: EMPTY, freqs: EMPTY_FREQS };
  }

  frequenciesOf(term: string, into: Uint8Array): void {
    frequenciesFrom(term, into, (key) => this.row(key));
  }
}

/** The base vocabulary with the changes' words set and dropped (both sorted lists stay sorted). */
export function patchedVocabulary(base: Vocabulary, change: LiveChanges["vocabulary"]): Vocabulary {
  if (change.set.length === 0 && change.drop.length === 0) return base;
  // Each word set or dropped, found by binary search where it is (or would be) among the base's: a change is a few
  // hundred words, the vocabulary hundreds of thousands, compared one by one before.
  const set = new Map(change.set.map(([w, df, py]) => [w, [df, py] as const]));
  const edits: Array<{ at: number; word: string; replace: boolean; value: readonly [number, string] | null }> = [];
  for (const [word, value] of set) {
    const at = countBefore(base.words, word, false);
    edits.push({ at, word, replace: base.words[at] === word, value });
  }
  for (const word of new Set(change.drop)) {
    if (set.has(word)) continue;
    const at = countBefore(base.words, word, false);
    if (base.words[at] === word) edits.push({ at, word, replace: true, value: null });
  }
  // By place, then word: words new at one place are all less than the base's word there, which one may replace.
  edits.sort((x, y) => x.at - y.at || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
  const size = base.words.length + edits.reduce((k, e) => k + (e.value ? 1 : 0) - (e.replace ? 1 : 0), 0);
  const words: string[] = [];
  const pinyin: string[] = [];
  const df = new Uint32Array(size);
  let i = 0;
  const copyTo = (end: number) => {
    df.set(base.df.subarray(i, end), words.length);
    for (; i < end; i++) {
      words.push(base.words[i]);
      pinyin.push(base.pinyin[i]);
    }
  };
  for (const e of edits) {
    copyTo(e.at);
    if (e.replace) i++;
    if (e.value) {
      df[words.length] = e.value[0];
      words.push(e.word);
      pinyin.push(e.value[1]);
    }
  }
  copyTo(base.words.length);
  return { words, df, pinyin };
}

/** Splices per-article values: the base's at their new places, the added ones at theirs. */
function splice<T>(n: number, remap: Int32Array, base: ArrayLike<T>, added: LiveChanges["added"], value: (a: LiveChanges["added"][number], k: number) => T): T[] {
  const out: T[] = new Array(n);
  for (let old = 0; old < remap.length; old++) if (remap[old] >= 0) out[remap[old]] = base[old];
  added.forEach((a, k) => (out[a.doc] = value(a, k)));
  return out;
}

/**
 * The base index with these changes applied: answers exactly as a full build
 * of the same content. Throws when the base cannot take them (a lean index,
 * or changes made for another generation).
 */
export function withLiveChanges(base: SearchIndex, name: string, changes: LiveChanges): SearchIndex {
  const parts = base.partsForLive();
  const lean = parts.reader ?? null;
  if (!lean && (!(parts.ngrams instanceof NgramIndex) || !(parts.words instanceof WordLayer))) throw new Error("search: live changes need the generation's own n-gram and word layers");
  const manifest0 = parts.manifest;
  const baseCount = manifest0.articles;
  const n = changes.articles;
  const remap = liveRemap(baseCount, changes.removed, changes.added, n);
  const stored = changes.added.map((a) => JSON.parse(a.json) as StoredArticle);
  // Held whole (a build), or the catalog's fields (a loaded generation: bodies read on demand; a lean one: no id either).
  const held = !parts.body && !lean;
  const metaOf = (k: number): ArticleMeta => ({ id: stored[k].id, contentHash: stored[k].contentHash, ...catalogEntryOf(stored[k]) });
  // A lean base keeps its articles as columns (engine/article-fields.ts): spliced as columns.
  const base0 = parts.articles;
  const articles =
    base0 instanceof MetaColumns
      ? base0.spliced(n, remap, changes.added.map((a, k) => ({ doc: a.doc, meta: metaOf(k) })))
      : splice<ArticleMeta | StoredArticle>(n, remap, base0, changes.added, (_a, k) => (held ? stored[k] : metaOf(k)));
  const addedAt = new Int32Array(n).fill(-1);
  const oldOf = oldDocs(remap, n);
  changes.added.forEach((a, k) => (addedAt[a.doc] = k));
  const related = patchedArray(changes.related, parts.aids.related, oldOf, remap, RELATED);
  const groupOf = patchedArray(changes.groupOf, parts.aids.groupOf, oldOf, remap, 1);
  const body = parts.body;
  const pages = parts.pages;
  const texts = stored.map((a) => searchableText(a));

  const addedDocs = Uint32Array.from(changes.added, (a) => a.doc);
  const addedNgrams = NgramIndex.build(texts);
  const aids0 = parts.aids;
  const vocabulary = patchedVocabulary(aids0.vocabulary, changes.vocabulary);
  const removedIds = changes.removed.length;
  const manifest: IndexManifest = {
    ...manifest0,
    articles: n,
    chars: changes.chars,
    nextSerial: manifest0.nextSerial + changes.added.length,
    build: { kind: "live", added: changes.added.length - changes.changed, changed: changes.changed, deleted: changes.deleted, kept: n - changes.added.length, segmented: 0, merged: 0 },
    withdrawn: changes.withdrawn,
    synonyms: changes.synonyms,
    live: { name, base: changes.base, seq: changes.seq, removed: removedIds, at: changes.at },
  };
  const carried = { from: base, oldOf, remap };

  if (lean) {
    // The segment's word lists by their place among the added articles (the fetcher numbers them).
    const segment = new WordIndex();
    changes.added.forEach((a, k) => segment.add(k, a.words ? a.words.split(" ") : []));
    const added = changes.added.map((a, k) => ({ article: stored[k], text: texts[k], keywords: a.keywords }));
    const reader = new LeanReader(new LiveFetcher(lean.fetcher, remap, oldOf, addedAt, added, addedDocs, addedNgrams, segment), lean.concurrency, lean.sizes);
    const aids: ReaderAids = { keywords: [], weights: [], related, groupOf, signatures: new Uint32Array(0), vocabulary };
    return new SearchIndex({ articles, ngrams: reader.ngrams, words: reader.words, manifest, aids, reader, carried });
  }

  const norm = splice<string | undefined>(n, remap, parts.norm!, changes.added, (_a, k) => texts[k]);
  const ngrams = new LiveNgrams(parts.ngrams as NgramIndex, remap, addedNgrams, addedDocs);
  const segment = new WordIndex();
  changes.added.forEach((a, k) => segment.add(manifest0.nextSerial + k, a.words ? a.words.split(" ") : []));
  const words = (parts.words as WordLayer).withSegment(segment, manifest0.nextSerial, remap, addedDocs);
  // Spliced when first read (only the repost report reads them on a server): 77 MB at ×10, per change.
  let signatures: Uint32Array | null = null;
  const spliceSignatures = () => {
    const out = new Uint32Array(n * SIGNATURE_STRIDE);
    for (let old = 0; old < baseCount; old++) {
      if (remap[old] >= 0) out.set(aids0.signatures.subarray(old * SIGNATURE_STRIDE, (old + 1) * SIGNATURE_STRIDE), remap[old] * SIGNATURE_STRIDE);
    }
    changes.added.forEach((a) => out.set(a.signature, a.doc * SIGNATURE_STRIDE));
    return out;
  };
  const aids: ReaderAids = {
    keywords: splice(n, remap, aids0.keywords, changes.added, (a) => a.keywords),
    weights: [],
    related,
    groupOf,
    get signatures() {
      return (signatures ??= spliceSignatures());
    },
    vocabulary,
  };
  const live: IndexParts = {
    articles: articles as StoredArticle[] | ArticleMeta[],
    ngrams,
    words,
    manifest,
    aids,
    norm,
    carried,
    titlesOverBase: (baseTitles, addedTitles, titleDocs) => new LiveNgrams(baseTitles, remap, addedTitles, titleDocs),
    ...(body
      ? {
          body: (doc: number) => (addedAt[doc] >= 0 ? stored[addedAt[doc]].paragraphs : body(oldOf[doc])),
          pages: (doc: number) => (addedAt[doc] >= 0 ? stored[addedAt[doc]].pages : pages?.(oldOf[doc])),
        }
      : {}),
  };
  return new SearchIndex(live);
}
