// Facets (authors, sources, years) as small integers per document, so that
// counting a result set is array arithmetic.
import type { FacetValue } from "@/lib/search/engine/types";
import { normalize } from "@/lib/text/normalize";

/** A value's label: its commonest spelling (ties: the first by localeCompare). */
function labelOf(spellings: Map<string, number>): string {
  // Equal by localeCompare too (ignorable characters): by code units, not by which came first (a live segment's order is not a full build's).
  return [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
}

/** No values: one array for every article without a source or date. */
export const NONE: string[] = [];

/**
 * One facet (authors, sources or years) as integer ids per document. Values
 * equal after normalisation (吳紫娟, 吴紫娟) are one value, shown in the
 * spelling the articles use most.
 */
export class Facet {
  private readonly labels: string[];
  private readonly valueIds: Int32Array;
  private readonly docStart: Uint32Array;
  /** Value id by key (normalised and trimmed where keys are normalised). */
  private readonly idOf: Map<string, number>;
  /**
   * When no document has two values (sources, years): each one's value id,
   * −1 for none (empty when no document has a value: 文种 and 发文机关 in a
   * library without 公文, 4 MB a facet at 1M). Counting reads one array, not three.
   */
  private readonly single: Int32Array | null = null;
  /** Each value's spellings and how many documents use each (its label is the commonest): kept for a live segment's splice. */
  private readonly spellings: Array<Map<string, number>>;

  /**
   * Over `values` (each document's), or, with `splice`, over a live
   * segment's documents made from a base facet: kept documents (oldOf ≥ 0)
   * take their ids from it, the others' values are added, and `gone` (the
   * base documents not kept) are counted out of the spellings. Either way
   * it answers as a facet built over the same documents' values: value ids
   * differ (new values come last) but no answer depends on them.
   */
  constructor(values: ArrayLike<string[]>, normalizeKeys: boolean, splice?: { base: Facet; oldOf: Int32Array; gone: string[][] }) {
    const base = splice?.base;
    const idOf = (this.idOf = base ? new Map(base.idOf) : new Map());
    // A base's spelling maps are shared until one changes (copied then).
    const spellings: Array<Map<string, number>> = base ? base.spellings.slice() : [];
    const copied = new Set<number>();
    const own = (id: number) => {
      if (base && id < base.spellings.length && !copied.has(id)) {
        copied.add(id);
        spellings[id] = new Map(spellings[id]);
      }
      return spellings[id];
    };
    const ids: number[] = [];
    const keyFor = (v: string) => (normalizeKeys ? normalize(v).trim() : v);
    // Each spelling's value id and how many documents use it, by one lookup per value of a document (its key made,
    // and its value found, once): the spellings' counts are added up after the documents (a million at 1M articles).
    const slotOf = new Map<string, number>();
    const slotId: number[] = [];
    const slotCount: number[] = [];
    const slotValue: string[] = [];
    const n = values.length;
    this.docStart = new Uint32Array(n + 1);
    for (let doc = 0; doc < n; doc++) {
      this.docStart[doc] = ids.length;
      const old = splice ? splice.oldOf[doc] : -1;
      if (old >= 0) {
        const from = base!;
        if (from.single) {
          if (old < from.single.length && from.single[old] >= 0) ids.push(from.single[old]);
        } else for (let k = from.docStart[old], end = from.docStart[old + 1]; k < end; k++) ids.push(from.valueIds[k]);
        continue;
      }
      const list = values[doc];
      for (const v of list.length > 1 ? new Set(list) : list) {
        let slot = slotOf.get(v);
        if (slot === undefined) {
          const key = keyFor(v);
          let id = idOf.get(key);
          if (id === undefined) {
            id = spellings.length;
            idOf.set(key, id);
            spellings.push(new Map());
          }
          slot = slotId.length;
          slotOf.set(v, slot);
          slotId.push(id);
          slotCount.push(0);
          slotValue.push(v);
        }
        slotCount[slot]++;
        const id = slotId[slot];
        if (list.length === 1 || !ids.includes(id, this.docStart[doc])) ids.push(id);
      }
    }
    // In the order the spellings first came: each map as adding one document at a time leaves it.
    for (let slot = 0; slot < slotId.length; slot++) {
      const m = own(slotId[slot]);
      m.set(slotValue[slot], (m.get(slotValue[slot]) ?? 0) + slotCount[slot]);
    }
    for (const list of splice?.gone ?? []) {
      for (const v of list.length > 1 ? new Set(list) : list) {
        const m = own(idOf.get(keyFor(v))!);
        const left = m.get(v)! - 1;
        if (left > 0) m.set(v, left);
        else m.delete(v);
      }
    }
    this.docStart[n] = ids.length;
    this.valueIds = Int32Array.from(ids);
    let most = 0;
    for (let doc = 0; doc < n && most <= 1; doc++) most = Math.max(most, this.docStart[doc + 1] - this.docStart[doc]);
    if (most <= 1) {
      this.single = new Int32Array(this.valueIds.length ? n : 0).fill(-1);
      if (this.valueIds.length) for (let doc = 0; doc < n; doc++) if (this.docStart[doc + 1] > this.docStart[doc]) this.single[doc] = this.valueIds[this.docStart[doc]];
      // `single` says it all: two arrays fewer per article (~2.4 MB a facet at ×10).
      this.docStart = new Uint32Array(0);
      this.valueIds = new Int32Array(0);
    }
    this.spellings = spellings;
    // A value no document has any more keeps its label: it is counted in no result.
    this.labels = spellings.map((m, id) => (base && id < base.labels.length && !copied.has(id) ? base.labels[id] : m.size ? labelOf(m) : (base?.labels[id] ?? "")));
  }



  /** The ids of these keys (as `normalize(v).trim()` gives them), as marks over all ids; keys no document has mark none. */
  mask(keys: string[]): Uint8Array {
    const marks = new Uint8Array(this.labels.length);
    for (const key of keys) {
      const id = this.idOf.get(key);
      if (id !== undefined) marks[id] = 1;
    }
    return marks;
  }

  /** The ids of the keys holding every one of `terms` (normalised), as marks over all ids (a field search: 作者:张 finds 张三 and 张三丰). */
  maskContaining(terms: string[]): Uint8Array {
    const marks = new Uint8Array(this.labels.length);
    for (const [key, id] of this.idOf) if (terms.every((t) => key.includes(t))) marks[id] = 1;
    return marks;
  }

  /** Every document having one of the marked values, ascending. */
  documentsWith(marks: Uint8Array, count: number): Uint32Array {
    if (!marks.includes(1)) return new Uint32Array(0);
    const out: number[] = [];
    for (let doc = 0; doc < count; doc++) if (this.hasAny(doc, marks)) out.push(doc);
    return Uint32Array.from(out);
  }

  /** Whether a document has one of the marked values. */
  hasAny(doc: number, marks: Uint8Array): boolean {
    if (this.single) return doc < this.single.length && this.single[doc] >= 0 && marks[this.single[doc]] === 1;
    for (let k = this.docStart[doc], end = this.docStart[doc + 1]; k < end; k++) if (marks[this.valueIds[k]]) return true;
    return false;
  }

  /** Each label's place in localeCompare order (ties by id, as a stable sort of ids would leave them): sorting by it needs no string comparison per search. */
  private labelOrder: Uint32Array | null = null;
  private countScratch: Uint32Array | null = null;

  count(docs: Uint32Array): FacetValue[] {
    // A facet no article has a value of (文种 and 发文机关 in a library without 公文) costs nothing per search.
    if (this.labels.length === 0 || this.single?.length === 0) return [];
    const counts = (this.countScratch ??= new Uint32Array(this.labels.length));
    const { docStart, valueIds, single } = this;
    if (single) {
      for (let i = 0; i < docs.length; i++) {
        const id = single[docs[i]];
        if (id >= 0) counts[id]++;
      }
    } else {
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i];
        for (let k = docStart[doc], end = docStart[doc + 1]; k < end; k++) counts[valueIds[k]]++;
      }
    }
    if (!this.labelOrder) {
      // Labels equal by localeCompare (ignorable characters) are ordered by code units, not by id: a live segment's
      // ids are not a full build's.
      const ids = Array.from(this.labels.keys()).sort((a, b) => this.labels[a].localeCompare(this.labels[b]) || (this.labels[a] < this.labels[b] ? -1 : this.labels[a] > this.labels[b] ? 1 : a - b));
      this.labelOrder = new Uint32Array(ids.length);
      ids.forEach((id, rank) => (this.labelOrder![id] = rank));
    }
    const order = this.labelOrder;
    const present: number[] = [];
    for (let id = 0; id < counts.length; id++) if (counts[id] > 0) present.push(id);
    present.sort((a, b) => counts[b] - counts[a] || order[a] - order[b]);
    const out: FacetValue[] = present.map((id) => ({ value: this.labels[id], count: counts[id] }));
    for (const id of present) counts[id] = 0;
    return out;
  }
}
