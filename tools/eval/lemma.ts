/**
 * A small English lemmatiser for unit words: plural nouns to the singular ("miles" -> "mile",
 * "inches" -> "inch", "feet" -> "foot", "batteries" -> "battery"). Only what comparing a figure's
 * unit with an annotated unit needs, and nothing more: no verbs, no adjectives, no dictionary.
 *
 * Rules, in order (on the lower-cased word):
 * 1. irregular plurals from a short list ("feet", "men", "children", "teeth", ...), also at the end
 *    of a compound ("spokesmen" -> "spokesman");
 * 2. words that only look plural stay ("series", "news", "gas", "bus", "analysis", "bonus", "mass",
 *    "previous"): endings -ss, -us, -is, -ous, -ics, and words of three letters or fewer;
 * 3. -ies -> -y ("batteries"), when something is left before it ("ties" stays "tie");
 * 4. -sses, -shes, -ches, -xes, -zes -> drop "es" ("bosses", "inches", "boxes");
 * 5. any other final -s is dropped ("miles", "dollars", "euros", "degrees").
 * Over-reach is harmless here: both sides of a comparison go through the same function.
 */

const IRREGULAR: Record<string, string> = {
  feet: 'foot',
  teeth: 'tooth',
  geese: 'goose',
  mice: 'mouse',
  children: 'child',
  men: 'man',
  women: 'woman',
  oxen: 'ox',
  lives: 'life',
  knives: 'knife',
  wives: 'wife',
  halves: 'half',
  calves: 'calf',
  loaves: 'loaf',
  leaves: 'leaf',
  shelves: 'shelf',
  wolves: 'wolf',
  thieves: 'thief',
  criteria: 'criterion',
  phenomena: 'phenomenon',
  indices: 'index',
  matrices: 'matrix',
  kroner: 'krone',
  kronor: 'krona',
  pence: 'penny',
};

/** Words ending in -s that are not plurals of something shorter. */
const NOT_PLURAL = new Set(['series', 'species', 'news', 'means', 'headquarters', 'crossroads', 'whereabouts', 'lens', 'yes', 'this', 'his', 'has', 'was', 'does', 'less', 'plus', 'always', 'perhaps', 'towards', 'afterwards']);

export function lemma(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  // Compounds keep their irregular head: "spokesmen", "businesswomen", "horsemen".
  for (const tail of ['men', 'feet', 'children']) {
    if (w.length > tail.length + 2 && w.endsWith(tail)) return w.slice(0, -tail.length) + IRREGULAR[tail]!;
  }
  if (w.length <= 3 || NOT_PLURAL.has(w) || /(ss|us|is|ous|ics)$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}
