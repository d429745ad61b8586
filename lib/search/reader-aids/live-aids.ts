// Repost groups and related articles after a few articles came or went,
// computed for the articles they can change only (live changes: build/live.ts),
// equal to what repostGroups and relatedArticles give over the whole library.
//
// Repost groups: an article's group depends only on the articles it shares an
// LSH bucket with (and, through them, on theirs), so the articles reachable
// from the changed ones through shared buckets are grouped again, in order,
// as the whole library would be; every other article keeps its leader.
// Related articles: an article's list depends only on the postings of its key
// terms and the groups of the articles in them, so only the articles sharing
// a key term with a changed article, or with one whose group changed, are
// scored again; the rest keep their lists, renumbered.
import { bandKey, groupable, MAX_RELATED_POSTINGS, RELATED, relatedOf, relatedScratch, REPOST_BANDS, repostGroups, SIGNATURE_STRIDE, type KeyTermPosting, type ReaderAids } from "@/lib/search/reader-aids/reader-aids";

/** What live runs keep of a generation's aids: its LSH buckets (every groupable article) and its key-term postings. */
export interface AidsBase {
  aids: ReaderAids;
  buckets: Array<Map<number, number[]>>;
  postings: Map<string, KeyTermPosting>;
}

export function aidsBase(aids: ReaderAids): AidsBase {
  const n = aids.groupOf.length;
  const buckets = Array.from({ length: REPOST_BANDS }, () => new Map<number, number[]>());
  for (let doc = 0; doc < n; doc++) {
    if (!groupable(aids.signatures, doc)) continue;
    for (let band = 0; band < REPOST_BANDS; band++) {
      const key = bandKey(aids.signatures, doc, band);
      if (key < 0) continue;
      const list = buckets[band].get(key);
      if (list) list.push(doc);
      else buckets[band].set(key, [doc]);
    }
  }
  const postings = new Map<string, KeyTermPosting>();
  aids.keywords.forEach((terms, doc) =>
    terms.forEach((t, k) => {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { docs: [], weights: [] }));
      p.docs.push(doc);
      p.weights.push(aids.weights[doc][k]);
    }),
  );
  return { aids, buckets, postings };
}

export interface AidsChange {
  articles: number;
  /** Each old document's new number (−1: gone), and each new document's old one (−1: added). */
  remap: Int32Array;
  oldOf: Int32Array;
  /** The added articles (ascending doc): signature (SIGNATURE_STRIDE u32s), key terms and their weights. */
  added: Array<{ doc: number; signature: Uint32Array; keywords: string[]; weights: number[] }>;
  /** The old documents that went, ascending. */
  removed: number[];
}

/** Repost groups and related articles of the library after `change`, over the articles it can change. */
export function liveAids(base: AidsBase, change: AidsChange): { groupOf: Int32Array; related: Int32Array; regrouped: number; rescored: number } {
  const { aids } = base;
  const { articles: n, remap, oldOf, added, removed } = change;
  const addedAt = new Int32Array(n).fill(-1);
  added.forEach((a, k) => (addedAt[a.doc] = k));
  const addedSig = new Uint32Array(added.length * SIGNATURE_STRIDE);
  added.forEach((a, k) => addedSig.set(a.signature, k * SIGNATURE_STRIDE));
  const keyOf = (doc: number, band: number) => (addedAt[doc] >= 0 ? bandKey(addedSig, addedAt[doc], band) : bandKey(aids.signatures, oldOf[doc], band));
  const canGroup = (doc: number) => (addedAt[doc] >= 0 ? groupable(addedSig, addedAt[doc]) : groupable(aids.signatures, oldOf[doc]));

  // The added articles' buckets, by band.
  const addedBuckets = Array.from({ length: REPOST_BANDS }, () => new Map<number, number[]>());
  for (const a of added) {
    if (!canGroup(a.doc)) continue;
    for (let band = 0; band < REPOST_BANDS; band++) {
      const key = keyOf(a.doc, band);
      if (key < 0) continue;
      const list = addedBuckets[band].get(key);
      if (list) list.push(a.doc);
      else addedBuckets[band].set(key, [a.doc]);
    }
  }
  // Everything reachable through shared buckets from the changed articles.
  const inC = new Uint8Array(n);
  const queue: number[] = [];
  const reach = (doc: number) => {
    if (doc >= 0 && !inC[doc]) {
      inC[doc] = 1;
      queue.push(doc);
    }
  };
  const mates = (band: number, key: number) => {
    for (const old of base.buckets[band].get(key) ?? []) reach(remap[old]);
    for (const doc of addedBuckets[band].get(key) ?? []) reach(doc);
  };
  for (const a of added) if (canGroup(a.doc)) reach(a.doc);
  for (const old of removed) {
    if (!groupable(aids.signatures, old)) continue;
    for (let band = 0; band < REPOST_BANDS; band++) {
      const key = bandKey(aids.signatures, old, band);
      if (key >= 0) mates(band, key);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const doc = queue[q];
    for (let band = 0; band < REPOST_BANDS; band++) {
      const key = keyOf(doc, band);
      if (key >= 0) mates(band, key);
    }
  }
  const component = queue.sort((a, b) => a - b);
  const groupOf = new Int32Array(n);
  for (let doc = 0; doc < n; doc++) groupOf[doc] = addedAt[doc] >= 0 ? doc : remap[aids.groupOf[oldOf[doc]]];
  if (component.length) {
    const sig = new Uint32Array(component.length * SIGNATURE_STRIDE);
    component.forEach((doc, i) => {
      const from = addedAt[doc] >= 0 ? addedSig.subarray(addedAt[doc] * SIGNATURE_STRIDE) : aids.signatures.subarray(oldOf[doc] * SIGNATURE_STRIDE);
      sig.set(from.subarray(0, SIGNATURE_STRIDE), i * SIGNATURE_STRIDE);
    });
    const local = repostGroups(sig, component.length);
    component.forEach((doc, i) => (groupOf[doc] = component[local[i]]));
  }
  for (let doc = 0; doc < n; doc++) if (groupOf[doc] < 0) throw new Error(`reader aids: article ${doc}'s repost group leader went without its group being regrouped`);

  // Key terms of the changed articles and of those whose group changed.
  const keywordsOf = (doc: number) => (addedAt[doc] >= 0 ? added[addedAt[doc]].keywords : aids.keywords[oldOf[doc]]);
  const weightsOf = (doc: number) => (addedAt[doc] >= 0 ? added[addedAt[doc]].weights : aids.weights[oldOf[doc]]);
  const terms = new Set<string>();
  for (const a of added) for (const t of a.keywords) terms.add(t);
  for (const old of removed) for (const t of aids.keywords[old]) terms.add(t);
  for (const doc of component) {
    if (addedAt[doc] >= 0 || groupOf[doc] !== remap[aids.groupOf[oldOf[doc]]]) for (const t of keywordsOf(doc)) terms.add(t);
  }
  // The new postings of a term: the old ones renumbered, gone ones dropped, the added ones merged in.
  const addedPostings = new Map<string, KeyTermPosting>();
  for (const a of added) {
    a.keywords.forEach((t, k) => {
      let p = addedPostings.get(t);
      if (!p) addedPostings.set(t, (p = { docs: [], weights: [] }));
      p.docs.push(a.doc);
      p.weights.push(a.weights[k]);
    });
  }
  const merged = new Map<string, KeyTermPosting>();
  const posting = (t: string): KeyTermPosting => {
    let p = merged.get(t);
    if (p) return p;
    const old = base.postings.get(t) ?? { docs: [], weights: [] };
    const more = addedPostings.get(t) ?? { docs: [], weights: [] };
    if (more.docs.length === 0 && removed.length === 0) {
      // Nothing gone and nothing added: only renumbered.
      p = { docs: old.docs.map((d) => remap[d]), weights: old.weights };
    } else {
      p = { docs: [], weights: [] };
      let j = 0;
      for (let i = 0; i < old.docs.length; i++) {
        const doc = remap[old.docs[i]];
        if (doc < 0) continue;
        while (j < more.docs.length && more.docs[j] < doc) {
          p.docs.push(more.docs[j]);
          p.weights.push(more.weights[j++]);
        }
        p.docs.push(doc);
        p.weights.push(old.weights[i]);
      }
      for (; j < more.docs.length; j++) {
        p.docs.push(more.docs[j]);
        p.weights.push(more.weights[j]);
      }
    }
    merged.set(t, p);
    return p;
  };
  const affected = new Uint8Array(n);
  for (const a of added) affected[a.doc] = 1;
  for (const t of terms) {
    const before = base.postings.get(t)?.docs.length ?? 0;
    const after = posting(t);
    if (before > MAX_RELATED_POSTINGS && after.docs.length > MAX_RELATED_POSTINGS) continue;
    for (const doc of after.docs) affected[doc] = 1;
  }
  const related = new Int32Array(n * RELATED);
  const scratch = relatedScratch(n);
  let rescored = 0;
  for (let doc = 0; doc < n; doc++) {
    if (!affected[doc]) {
      const old = oldOf[doc];
      let kept = true;
      for (let k = 0; k < RELATED; k++) {
        const r = aids.related[old * RELATED + k];
        const to = r < 0 ? -1 : remap[r];
        if (r >= 0 && to < 0) kept = false;
        related[doc * RELATED + k] = to;
      }
      if (kept) continue;
    }
    relatedOf(doc, keywordsOf(doc), weightsOf(doc), groupOf, posting, scratch, related);
    rescored++;
  }
  return { groupOf, related, regrouped: component.length, rescored };
}
