import type { ArticleDocument, Sentence } from './document.js';
import type { StanceResult } from './stance.js';
import { STOPWORDS } from './lexicon.js';
import { words } from './sentences.js';

/**
 * The summarizer: ranks the article's own sentences and picks the key points and the TL;DR.
 * Each sentence is scored on its position (news puts the news first), its centrality (how much
 * of the article's vocabulary it shares, TF-IDF cosine to the article and to the headline), and
 * its content (names and figures), minus penalties for what makes a poor summary sentence
 * (quotes, questions, fragments); the points are then chosen greedily with a redundancy
 * penalty (maximal marginal relevance) and put back in article order.
 */

export interface SummaryWeights {
  position: number;
  positionDecay: number;
  paragraphLead: number;
  centrality: number;
  title: number;
  entities: number;
  numbers: number;
  quotePenalty: number;
  lengthPenalty: number;
  redundancy: number;
}

export const DEFAULT_WEIGHTS: SummaryWeights = {
  position: 1.0,
  positionDecay: 4,
  paragraphLead: 0.1,
  centrality: 0.8,
  title: 0.5,
  entities: 0.15,
  numbers: 0.1,
  quotePenalty: 0.3,
  lengthPenalty: 0.3,
  redundancy: 0.6,
};

export interface RankedSentence {
  sentence: Sentence;
  score: number;
  terms: Map<string, number>;
}

function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 4) {
    if (w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
    else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
    else if (w.endsWith('es') && /(?:ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  }
  return w;
}

export function contentTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const w of words(text)) {
    const lower = w.toLowerCase();
    if (STOPWORDS.has(lower) || lower.length < 2 || /^\d+$/.test(lower)) continue;
    const s = stem(lower);
    terms.set(s, (terms.get(s) ?? 0) + 1);
  }
  return terms;
}

function cosine(a: Map<string, number>, b: Map<string, number>, idf: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, v] of a) {
    const w = v * (idf.get(t) ?? 1);
    na += w * w;
    const u = b.get(t);
    if (u !== undefined) dot += w * u * (idf.get(t) ?? 1);
  }
  for (const [t, v] of b) {
    const w = v * (idf.get(t) ?? 1);
    nb += w * w;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A sentence that cannot stand alone as a point: no verb-like word, a dangling start, a stub. */
export function isFragment(sentence: Sentence): boolean {
  const text = sentence.text.trim();
  if (sentence.wordCount < 6) return true;
  if (!/[.!?…]["'”’)\]]*$/.test(text)) return true;
  if (/^[a-z]/.test(text)) return true;
  if (/^(?:and|but|or|so|also|which|who)\b/i.test(text) && sentence.wordCount < 10) return true;
  return false;
}

export function rankSentences(
  doc: ArticleDocument,
  stances: StanceResult[],
  weights: SummaryWeights = DEFAULT_WEIGHTS,
): RankedSentence[] {
  const eligible = doc.sentences.filter((s) => stances[s.index]?.role === 'report' && !isFragment(s));
  const termsOf = new Map<number, Map<string, number>>();
  const df = new Map<string, number>();
  for (const s of doc.sentences) {
    const terms = contentTerms(s.text);
    termsOf.set(s.index, terms);
    for (const t of terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = doc.sentences.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + n / d));
  // The article's centroid: every content term, weighted by how often it recurs.
  const centroid = new Map<string, number>();
  for (const terms of termsOf.values()) for (const [t, v] of terms) centroid.set(t, (centroid.get(t) ?? 0) + v);
  const titleTerms = contentTerms(doc.title);

  const bodyIndex = new Map<number, number>();
  doc.sentences.filter((s) => !s.heading).forEach((s, k) => bodyIndex.set(s.index, k));

  return eligible.map((sentence) => {
    const terms = termsOf.get(sentence.index) ?? new Map<string, number>();
    const k = bodyIndex.get(sentence.index) ?? sentence.index;
    let score = weights.position * Math.exp(-k / weights.positionDecay);
    if (sentence.position === 0) score += weights.paragraphLead;
    score += weights.centrality * cosine(terms, centroid, idf);
    if (titleTerms.size > 0) score += weights.title * cosine(terms, titleTerms, idf);
    const capitals = (sentence.text.match(/(?<=\s)\p{Lu}[\p{L}'’-]+/gu) ?? []).length;
    score += weights.entities * Math.min(1, capitals / 4);
    if (/\d/.test(sentence.text)) score += weights.numbers;
    const quoted = (sentence.text.match(/["“”‘’]/g) ?? []).length > 0;
    if (quoted) score -= weights.quotePenalty * (/^["“‘']/.test(sentence.text) ? 1.5 : 0.5);
    if (sentence.wordCount > 45) score -= weights.lengthPenalty * Math.min(1, (sentence.wordCount - 45) / 30);
    if (sentence.wordCount < 10) score -= weights.lengthPenalty * 0.5;
    return { sentence, score, terms };
  });
}

/** Picks `count` sentences by maximal marginal relevance, returned in article order. */
export function selectKeyPoints(ranked: RankedSentence[], count: number, weights: SummaryWeights = DEFAULT_WEIGHTS): RankedSentence[] {
  const pool = [...ranked].sort((a, b) => b.score - a.score);
  const chosen: RankedSentence[] = [];
  const flat = new Map<string, number>();
  while (chosen.length < count && pool.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const candidate = pool[i]!;
      let overlap = 0;
      for (const c of chosen) overlap = Math.max(overlap, cosine(candidate.terms, c.terms, flat));
      const value = candidate.score - weights.redundancy * overlap;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    chosen.push(pool.splice(best, 1)[0]!);
  }
  return chosen.sort((a, b) => a.sentence.index - b.sentence.index);
}

const LEADING_ADVERBIAL =
  /^(?:In|On|At|After|Before|During|Despite|With|Amid|Following|Under|Over|Since|Meanwhile|However|Earlier|Later|Last|This|Now|Yet|Still|Instead|Separately|Elsewhere|Overall|By|For|From|Through|Within|Without)\b[^,;:"“”]{0,80},\s+/;

/**
 * Light compression that adds no word: a leading adverbial phrase ("In a significant escalation
 * of military cooperation, ") and parentheticals are dropped when what is left is a sentence.
 */
export function compress(text: string): string {
  let out = text.replace(/\s*\((?![^)]*\d{4})[^()]{1,60}\)/g, '');
  const lead = LEADING_ADVERBIAL.exec(out);
  if (lead) {
    const rest = out.slice(lead[0].length);
    // What follows must start a clause: a name, "the", a pronoun.
    if (/^(?:\p{Lu}|the |a |an |his |her |their |its |he |she |they |it )/u.test(rest) && rest.split(/\s+/).length >= 6) {
      out = rest[0]!.toUpperCase() + rest.slice(1);
    }
  }
  return out.replace(/\s{2,}/g, ' ').trim();
}

/** Shortens a sentence for the TL;DR: compression first, then, if still too long, at a clause break. */
export function toTldr(text: string, limit = 280): string | undefined {
  const compressed = compress(text);
  if (compressed.length <= limit) return compressed;
  return undefined;
}
