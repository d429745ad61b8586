// Repost groups as the engine walks them: each group's members side by side,
// found from the reader aids' leader of every article.
/**
 * Repost groups of two or more as arrays, not a map of lists (at ×10, where
 * every article is one of ten copies, the map took ~6 MB): each group's
 * members side by side, the leader first, then the others in document order.
 */
export class RepostGroups {
  /** Leaders in the order their group's second member comes (the corpus report lists groups so). */
  readonly leaders: Uint32Array;
  /** Each leader's place in `leaders`, −1 for other documents (empty when there are no groups). */
  private readonly slot: Int32Array;
  /** Group g's members are list[offsets[g], offsets[g + 1]). */
  private readonly offsets: Uint32Array;
  private readonly list: Uint32Array;

  constructor(groupOf: Int32Array) {
    const n = groupOf.length;
    const order: number[] = [];
    const slot = new Int32Array(n).fill(-1);
    const sizes: number[] = [];
    for (let doc = 0; doc < n; doc++) {
      const leader = groupOf[doc];
      if (leader === doc) continue;
      if (slot[leader] < 0) {
        slot[leader] = order.length;
        order.push(leader);
        sizes.push(1);
      }
      sizes[slot[leader]]++;
    }
    this.leaders = Uint32Array.from(order);
    this.slot = order.length ? slot : new Int32Array(0);
    this.offsets = new Uint32Array(order.length + 1);
    sizes.forEach((size, g) => (this.offsets[g + 1] = this.offsets[g] + size));
    this.list = new Uint32Array(this.offsets[order.length]);
    const filled = Uint32Array.from(this.offsets.subarray(0, order.length));
    order.forEach((leader, g) => (this.list[filled[g]++] = leader));
    for (let doc = 0; doc < n; doc++) {
      const leader = groupOf[doc];
      if (leader !== doc) this.list[filled[slot[leader]]++] = doc;
    }
  }

  /** The members of the group this leader leads (null: no group of two or more). */
  members(leader: number): Uint32Array | null {
    const g = this.slot.length ? this.slot[leader] : -1;
    return g < 0 ? null : this.list.subarray(this.offsets[g], this.offsets[g + 1]);
  }
}
