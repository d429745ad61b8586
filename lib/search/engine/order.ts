// Putting documents in order: newest first by date, the best k by score
// (a bounded heap), and a binary search over sorted strings.
/**
 * Documents newest first: by date as localeCompare orders them (each
 * document's date is `dates[slot[doc]]`, "" for none, which comes last), ties
 * in document order. A counting sort over the distinct dates' ranks: the same
 * order as sorting the documents with that comparator, without comparing
 * dates per document.
 */
export function newestFirst(dates: string[], slot: Uint32Array): Uint32Array {
  const bySort = dates.map((_, i) => i).sort((a, b) => dates[a].localeCompare(dates[b]));
  // Rank 0 for the newest; dates localeCompare calls equal share one.
  const rank = new Uint32Array(dates.length);
  let r = 0;
  for (let i = bySort.length - 1; i >= 0; i--) {
    if (i < bySort.length - 1 && dates[bySort[i]].localeCompare(dates[bySort[i + 1]]) !== 0) r++;
    rank[bySort[i]] = r;
  }
  const first = new Uint32Array(r + 2);
  for (let doc = 0; doc < slot.length; doc++) first[rank[slot[doc]] + 1]++;
  for (let k = 1; k < first.length; k++) first[k] += first[k - 1];
  const out = new Uint32Array(slot.length);
  for (let doc = 0; doc < slot.length; doc++) out[first[rank[slot[doc]]]++] = doc;
  return out;
}

/** How many strings of an ascending list come before `value` (as `<` compares), or, with `orEqual`, are also equal to it. */
export function countBefore(sorted: readonly string[], value: string, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value || (orEqual && sorted[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `k` smallest keys of the documents, via a bounded max-heap (unsorted). */
export function smallest(docs: Uint32Array, keyOf: (doc: number) => number, k: number): Float64Array {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < docs.length; i++) {
    const key = keyOf(docs[i]);
    if (size < k) {
      let j = size++;
      heap[j] = key;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (heap[p] >= heap[j]) break;
        [heap[p], heap[j]] = [heap[j], heap[p]];
        j = p;
      }
    } else if (key < heap[0]) {
      heap[0] = key;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < size && heap[l] > heap[m]) m = l;
        if (r < size && heap[r] > heap[m]) m = r;
        if (m === j) break;
        [heap[j], heap[m]] = [heap[m], heap[j]];
        j = m;
      }
    }
  }
  return heap.subarray(0, size);
}
