/**
 * Two fixed halves of an eval set, so that a rule which only fits part of the development set shows
 * up as a gap between the halves (the held-out set scored on each release behaves like a third).
 * A record's half depends on its id alone: FNV-1a (32-bit) over the id's UTF-8 bytes, lowest bit.
 * Adding or removing records never moves the others, and no one picks which records go where.
 */

export type Half = 'A' | 'B';
export const HALVES: readonly Half[] = ['A', 'B'];

/** FNV-1a, 32-bit, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The half a record belongs to, by its id. */
export function halfOf(id: string): Half {
  return (fnv1a32(id) & 1) === 0 ? 'A' : 'B';
}
