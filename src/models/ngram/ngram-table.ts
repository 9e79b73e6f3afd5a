/**
 * The n-grams of one order in typed arrays: entry `e` is the n-gram whose first n − 1 words are entry
 * `parent[e]` of the table one order down and whose last word is `word[e]` (a trie stored as hash
 * tables, like KenLM's probing structure keyed on the context instead of a full-n-gram hash).
 * Order 0 holds the empty context (one entry); order 1 is dense (entry = word id); orders ≥ 2 are
 * open-addressing hash tables on the key (parent, word) with linear probing, load ≤ 1/2; each slot
 * stores [entry, parent, word] side by side, so a probe touches one cache line.
 */

/** One order's n-grams. Entries are numbered 0..size−1 in insertion order. */
export type NgramTable = {
  /** n */
  order: number;
  /** number of entries */
  size: number;
  /** order ≤ 1: entry index is the word id (no hashing) */
  dense: boolean;
  /** `[capacity]` index of the (n−1)-gram prefix in the table one order down (0 = the empty context) */
  parent: Int32Array;
  /** `[capacity]` last word id */
  word: Int32Array;
  /** `[3 · 2^k]` hash slots `[entry, parent, word]`, entry −1 when empty (unused when dense) */
  slots: Int32Array;
};

/** The order-0 table: one entry, the empty context. */
export function rootTable(): NgramTable {
  return {
    order: 0,
    size: 1,
    dense: true,
    parent: new Int32Array(1).fill(-1),
    word: new Int32Array(1).fill(-1),
    slots: new Int32Array(0),
  };
}

/** The order-1 table over a vocabulary of `V` words: entry `w` is word `w`. */
export function unigramTable(V: number): NgramTable {
  const word = new Int32Array(V);
  for (let w = 0; w < V; w++) word[w] = w;
  return { order: 1, size: V, dense: true, parent: new Int32Array(V), word, slots: new Int32Array(0) };
}

/** An empty hashed table for order ≥ 2 with room for about `expected` entries. */
export function hashTable(order: number, expected = 1024): NgramTable {
  let slots = 16;
  while (slots < 2 * expected) slots *= 2;
  return {
    order,
    size: 0,
    dense: false,
    parent: new Int32Array(slots >>> 1),
    word: new Int32Array(slots >>> 1),
    slots: emptySlots(slots),
  };
}

function emptySlots(n: number): Int32Array {
  const a = new Int32Array(3 * n);
  for (let s = 0; s < a.length; s += 3) a[s] = -1;
  return a;
}

/** Number of hash slots of a hashed table. */
function slotCount(t: NgramTable): number {
  return t.slots.length / 3;
}

/** 32-bit mix of the key (parent, word) (murmur3-style finaliser). */
function hashKey(parent: number, word: number): number {
  let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca6b)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h;
}

/** Index of the n-gram (prefix entry `parent`, last word `word`), or −1 when absent. */
export function findEntry(t: NgramTable, parent: number, word: number): number {
  if (t.dense) return parent === 0 && word >= 0 && word < t.size ? word : -1;
  return probe(t.slots, parent, word);
}

/** Find (parent, word) in a slot array of a hashed table: its entry, or −1. */
export function probe(slots: Int32Array, parent: number, word: number): number {
  const len = slots.length;
  let s = (hashKey(parent, word) & (len / 3 - 1)) * 3;
  for (;;) {
    const e = slots[s];
    if (e < 0) return -1;
    if (slots[s + 1] === parent && slots[s + 2] === word) return e;
    s += 3;
    if (s === len) s = 0;
  }
}

/** Index of the n-gram (parent, word), inserting it at index `size` when absent (hashed tables only). */
export function insertEntry(t: NgramTable, parent: number, word: number): number {
  let slots = t.slots;
  let len = slots.length;
  let s = (hashKey(parent, word) & (len / 3 - 1)) * 3;
  for (;;) {
    const e = slots[s];
    if (e < 0) break;
    if (slots[s + 1] === parent && slots[s + 2] === word) return e;
    s += 3;
    if (s === len) s = 0;
  }
  const e = t.size;
  if (2 * (e + 1) > slotCount(t)) {
    grow(t);
    slots = t.slots;
    len = slots.length;
    s = free(slots, parent, word);
  }
  slots[s] = e;
  slots[s + 1] = parent;
  slots[s + 2] = word;
  t.parent[e] = parent;
  t.word[e] = word;
  t.size = e + 1;
  return e;
}

/** The first empty slot on the probe path of (parent, word). */
function free(slots: Int32Array, parent: number, word: number): number {
  const len = slots.length;
  let s = (hashKey(parent, word) & (len / 3 - 1)) * 3;
  while (slots[s] >= 0) {
    s += 3;
    if (s === len) s = 0;
  }
  return s;
}

function grow(t: NgramTable): void {
  const n = slotCount(t) * 2;
  const slots = emptySlots(n);
  const parent = new Int32Array(n >>> 1);
  const word = new Int32Array(n >>> 1);
  parent.set(t.parent.subarray(0, t.size));
  word.set(t.word.subarray(0, t.size));
  for (let e = 0; e < t.size; e++) {
    const s = free(slots, parent[e], word[e]);
    slots[s] = e;
    slots[s + 1] = parent[e];
    slots[s + 2] = word[e];
  }
  t.slots = slots;
  t.parent = parent;
  t.word = word;
}

/** Entry capacity of a table (payload arrays indexed by entry must be at least this long). */
export function capacity(t: NgramTable): number {
  return t.parent.length;
}

/** Copy a typed array into a longer one of the same type (payload arrays that follow a table's growth). */
export function growTo<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  if (a.length >= n) return a;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Word ids of entry `e` of `tables[n]`, oldest first. */
export function ngramWords(tables: readonly NgramTable[], n: number, e: number): number[] {
  const out = new Array<number>(n);
  for (let k = n; k >= 1; k--) {
    out[k - 1] = tables[k].word[e];
    e = tables[k].parent[e];
  }
  return out;
}

/** Index of the n-gram `words` (oldest first) in `tables[words.length]`, or −1. */
export function lookupNgram(tables: readonly NgramTable[], words: ArrayLike<number>): number {
  let e = 0;
  for (let k = 0; k < words.length; k++) {
    e = findEntry(tables[k + 1], e, words[k]);
    if (e < 0) return -1;
  }
  return e;
}
