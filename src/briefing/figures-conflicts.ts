import type { Conflict, Figure } from './schema.js';
import type { ArticleDocument } from './document.js';
import { isDemonym } from './lexicon.js';

/**
 * Figures that disagree: two figures are flagged only when they measure the same thing of the same
 * event at the same time and come from different sources or carry a hedge. Never flagged:
 * - different things: "North Korean troops" and "Russian troops", people killed and people wounded;
 * - an update: "as of Monday" against "as of Friday", "the toll rose to 50";
 * - a part against its whole: "including 12 children", "37 of 64", "of them", "in total";
 * - changes, rates and increments: "up 19 cents", "a day", "another 300";
 * - shares, fractions, ages and money that says nothing of what it measures.
 */

/** Classes of things that articles count in different words. */
const SYNONYM_CLASS: Record<string, string> = {
  troop: 'troops', soldier: 'troops', fighter: 'troops', force: 'troops', personnel: 'troops', serviceman: 'troops',
  servicemen: 'troops', combatant: 'troops', mercenary: 'troops', recruit: 'troops',
  casualty: 'casualties', loss: 'casualties', dead: 'casualties', death: 'casualties', fatality: 'casualties',
  killed: 'casualties', died: 'casualties', victim: 'casualties', body: 'casualties',
  people: 'people', person: 'people', resident: 'people', civilian: 'people', individual: 'people',
  dollar: 'money', pound: 'money', euro: 'money',
};

/**
 * What happened to the people or things counted: "19 people killed" and "50 wounded" are two events.
 * Read from the words around the figure; a figure with no such word fits any event.
 */
const EVENTS: Array<[RegExp, string]> = [
  [/^(?:killed|dead|died|die|dying|deaths?|fatalities|fatality|lives|perished|slain|murdered|bodies|casualties|losses)$/, 'killed'],
  [/^(?:wounded|injured|injuries|injury|hurt|hospitali[sz]ed|hospital|maimed)$/, 'injured'],
  [/^(?:missing|unaccounted)$/, 'missing'],
  [/^(?:arrested|arrests|detained|held|jailed|imprisoned|charged|captured|prisoners?)$/, 'detained'],
  [/^(?:displaced|evacuated|fled|homeless|refugees|uprooted)$/, 'displaced'],
  [/^(?:infected|infections|cases|positive|sick|ill)$/, 'infected'],
  [/^(?:rescued|saved|freed|released)$/, 'rescued'],
];
const EVENT_WORDS_AFTER = /^[\s,]*(?:(?:people|persons|civilians|others|more|of them|were|was|are|is|have been|had been|been|being|reported|reportedly|confirmed|believed|thought|feared|left|also|now|so far|in all|taken to|admitted to|treated in|in)\s+)*([\p{L}]+)/u;
const EVENT_WORDS_BEFORE = /\b(killing|killed|kills|wounding|wounded|injuring|injured|left|leaving)\s+(?:at least\s+|more than\s+|about\s+|some\s+|nearly\s+|another\s+)?$/i;
const EVENT_VERB_CLASS: Record<string, string> = { killing: 'killed', killed: 'killed', kills: 'killed', wounding: 'injured', wounded: 'injured', injuring: 'injured', injured: 'injured' };

/** A time the sentence pins the figure to: "as of Monday", "on Friday", "by March 3", "yesterday". */
const TIME_ANCHORS =
  /\b(?:(?:as of|as at|by|on|since|until|through)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|last night|this morning|this week|last week|last month|last year|(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:\s+\d{1,2})?|(?:19|20)\d{2})\b/gi;
/** Words that make a figure a new state of a running count: "the toll rose to 50", "has now reached". */
const UPDATE_WORDS = /\b(?:rose to|risen to|climbed to|increased to|jumped to|grew to|reached|now stands|now at|updated|revised|latest (?:figures?|count|toll|tally)|so far|as of|as at|to date|brings? the (?:total|toll|number))\b/i;
/** A part of a larger figure: "including 12 children", "of whom", "37 of 64", "in total". */
const PART_BEFORE = /\b(?:including|includes|included|among them|among whom|of which|of whom|of these|of those)\s+(?:at least\s+|more than\s+|about\s+|some\s+|nearly\s+|another\s+)?$/i;
const PART_AFTER = /^\s*(?:of (?:them|whom|which|those|these|the|its|their)\b|were (?:among|part of)\b)/i;
const TOTAL_WORDS = /\b(?:in total|in all|overall|total|combined|altogether|cumulative|all told)\b/i;
/** An increment or a rate: "another 300 troops", "300 a day", "each", "per". */
const INCREMENT_BEFORE = /\b(?:another|additional|an additional|a further|further|extra|more|new)\s+$/i;
const RATE_AFTER =
  /^\s*(?:[\p{L}-]+\s+){0,3}?(?:a|per|each|every)\s+(?:day|week|month|year|hour|minute|night|game|match|season|episode|head|capita|person|race)\b|^\s*(?:[\p{L}-]+\s+){0,3}?(?:daily|weekly|monthly|annually|a year|a day)\b/iu;
/** Classes too broad to know two counts are the same without knowing what happened to them. */
const GENERIC_CLASSES = new Set(['people', 'case', 'time', 'year', 'day', 'point', 'game', 'member', 'user', 'follower', 'vote', 'job']);
/** Hedges that make a figure an estimate another can disagree with (not "hundreds of", which only gives a size). */
const ESTIMATE_HEDGE = /\b(?:more than|less than|about|around|roughly|nearly|almost|some|approximately|up to|as many as|as much as|at least|an estimated|estimated|claimed|reportedly|allegedly|believed|thought to|said to)\b/i;
/** A source worth the name: a name or a description, not a stray word taken for one ("was", "firmly"). */
function isSource(by: string | undefined): by is string {
  if (!by) return false;
  // A run of capitals is a heading or a shout, not a source.
  if (/^[\p{Lu}\s'’]{12,}$/u.test(by)) return false;
  if (/^\p{Lu}/u.test(by)) return !/^(?:It|This|That|There|Here|Percent|\p{Lu}[\p{Ll}-]*(?:\s+\p{Lu}[\p{Ll}-]*)?\s+(?:percent|per cent))\b/u.test(by) && !/\bpercent\b/i.test(by);
  return /^(?:the|a|an)\s+\p{L}{3,}/u.test(by) || /^(?:officials|police|authorities|analysts|experts|researchers|investigators|opponents|critics|residents|witnesses|activists|reports|sources|rescuers|organizers|organisers|doctors|scientists)$/i.test(by);
}
const CONTENT_WORD = /\p{L}{5,}/gu;
const COMMON = new Set(['about', 'after', 'again', 'their', 'there', 'these', 'those', 'which', 'while', 'would', 'could', 'should', 'other', 'where', 'being', 'since', 'still', 'under', 'among', 'through', 'according', 'including', 'said', 'says', 'people', 'first', 'years', 'least', 'today', 'during', 'before', 'against', 'between', 'without', 'within', 'around', 'nearly', 'almost', 'every', 'another', 'because', 'although', 'however', 'whose']);

/** The topics of a sentence besides the thing counted, as the first five letters of its longer words ("russi" for Russia and Russian). */
function topicsOf(text: string, what: string): Set<string> {
  const head = what.toLowerCase().split(/\s+/).pop() ?? '';
  const own = new Set(head.length >= 5 ? [head.slice(0, 5)] : []);
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(CONTENT_WORD) ?? []) {
    const stem = w.slice(0, 5);
    if (!COMMON.has(w) && !own.has(stem)) out.add(stem);
  }
  return out;
}

/** What a figure measures, read from its `what` and its sentence (see factsOf). */
export interface FigureFacts {
  cls: string;
  topics: Set<string>;
  qualifiers: Set<string>;
  event?: string;
  times: Set<string>;
  update: boolean;
  total: boolean;
}

function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(?:ss|us)$/.test(w)) return w.endsWith('sses') ? w.slice(0, -2) : w;
  if (w.endsWith('sses') || w.endsWith('shes') || w.endsWith('ches') || w.endsWith('xes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

function eventOf(word: string): string | undefined {
  const w = word.toLowerCase();
  for (const [pattern, event] of EVENTS) if (pattern.test(w)) return event;
  return undefined;
}

/** Where the figure and its `what` sit in the sentence: the text before the value and after the phrase. */
function around(figure: Figure, sentenceText: string): { before: string; after: string } | undefined {
  const at = sentenceText.indexOf(figure.value);
  if (at < 0) return undefined;
  const rest = sentenceText.slice(at + figure.value.length);
  const whatAt = figure.what ? rest.indexOf(figure.what) : -1;
  const after = whatAt >= 0 && whatAt < 30 ? rest.slice(whatAt + figure.what.length) : rest;
  return { before: sentenceText.slice(0, at), after };
}

/**
 * What a figure measures, or undefined for a figure no other can be the same count as (a share, a
 * fraction, an age, a range of scale words, a part of a whole, an increment or a rate).
 */
export function factsOf(figure: Figure, sentenceText: string): FigureFacts | undefined {
  if (figure.unit === 'fraction' || figure.unit === '%' || /old$/.test(figure.unit ?? '')) return undefined;
  if (/\b(?:up|down|dozens|tens|hundreds|thousands|millions|billions)\b/.test(figure.hedge ?? '') || / of (?:the )?\d/.test(figure.value)) return undefined;
  const words = figure.what.split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const place = around(figure, sentenceText);
  if (place) {
    if (PART_BEFORE.test(place.before) || PART_AFTER.test(place.after)) return undefined;
    if (INCREMENT_BEFORE.test(place.before) || RATE_AFTER.test(place.after)) return undefined;
  }
  const head = words[words.length - 1]!;
  const qualifiers = new Set(words.slice(0, -1).map((w) => w.toLowerCase()));
  const headSingular = singular(head);
  let cls = SYNONYM_CLASS[headSingular] ?? headSingular;
  // "12,000 North Koreans": a demonym counts people of that country.
  if (isDemonym(headSingular) || isDemonym(head)) {
    for (const w of words) qualifiers.add(singular(w) === headSingular ? headSingular : w.toLowerCase());
    cls = 'troops';
  }
  let event = eventOf(head);
  if (place) {
    const next = EVENT_WORDS_AFTER.exec(place.after)?.[1];
    event ??= next ? eventOf(next) : undefined;
    const verb = EVENT_WORDS_BEFORE.exec(place.before)?.[1]?.toLowerCase();
    event ??= verb ? EVENT_VERB_CLASS[verb] : undefined;
  }
  const times = new Set<string>();
  for (const m of sentenceText.matchAll(TIME_ANCHORS)) times.add(m[0].toLowerCase().replace(/^(?:as of|as at|by|on|since|until|through)\s+/, ''));
  const facts: FigureFacts = { cls, topics: topicsOf(sentenceText, figure.what), qualifiers, times, update: UPDATE_WORDS.test(sentenceText), total: TOTAL_WORDS.test(sentenceText) };
  if (event) facts.event = event;
  return facts;
}

/**
 * Whether two figures count the same thing, whenever they were given: the same class of thing,
 * qualifiers that agree and the same thing happening to it. Time is left out, so that a later count
 * of it can be read as an update.
 */
export function sameThingCounted(a: FigureFacts, b: FigureFacts): boolean {
  if (a.cls !== b.cls) return false;
  // Qualifiers must agree: "North Korean troops" and "Russian troops" are different things.
  const shared = [...a.qualifiers].some((q) => b.qualifiers.has(q));
  if (a.qualifiers.size > 0 && b.qualifiers.size > 0 && !shared) return false;
  // Killed and wounded are two counts; a count of the dead and one that says nothing of what
  // happened are not known to be the same count.
  if (a.event !== b.event) return false;
  if (!a.event && GENERIC_CLASSES.has(a.cls)) return false;
  return true;
}

/** Whether two figures measure the same thing of the same event at the same time. */
function sameMeasure(a: FigureFacts, b: FigureFacts): boolean {
  if (!sameThingCounted(a, b)) return false;
  // Different days: a later count updates an earlier one.
  if (a.times.size > 0 && b.times.size > 0 && ![...a.times].some((t) => b.times.has(t))) return false;
  if (a.update || b.update) return false;
  // A part against its whole.
  if (a.total !== b.total) return false;
  return true;
}

/** Figures about the same thing from different sources or hedges that do not agree. */
export function findConflicts(figures: Figure[], doc: ArticleDocument): Conflict[] {
  // Only figures whose head noun another figure shares can disagree: read the rest no further.
  const heads = new Map<string, number>();
  const headOf = (f: Figure): string => singular(f.what.split(/\s+/).pop() ?? '');
  for (const f of figures) if (f.what) heads.set(headOf(f), (heads.get(headOf(f)) ?? 0) + 1);
  const facts = figures.map((f) => {
    const head = headOf(f);
    const shared = (heads.get(head) ?? 0) > 1 || SYNONYM_CLASS[head] !== undefined || isDemonym(head);
    return f.what && shared ? factsOf(f, doc.sentences[f.sentence]?.text ?? '') : undefined;
  });
  const groups = new Map<string, number[]>();
  facts.forEach((f, i) => {
    if (!f) return;
    const list = groups.get(f.cls) ?? [];
    list.push(i);
    groups.set(f.cls, list);
  });
  const conflicts: Conflict[] = [];
  for (const [cls, members] of groups) {
    if (members.length < 2) continue;
    const pairs: number[] = [];
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const fa = figures[members[a]!]!;
        const fb = figures[members[b]!]!;
        if (fa.unit !== fb.unit) continue;
        // In one sentence, only claims from different sources disagree ("rose from 5 to 10" does not).
        if (fa.sentence === fb.sentence && (fa.attributedTo === fb.attributedTo || !fa.attributedTo || !fb.attributedTo)) continue;
        if (!sameMeasure(facts[members[a]!]!, facts[members[b]!]!)) continue;
        const hi = Math.max(fa.quantity, fb.quantity);
        const lo = Math.min(fa.quantity, fb.quantity);
        if (lo <= 0 || hi / lo < 1.1 || hi / lo > 10) continue;
        // Two sources that disagree, or a sourced figure against an estimate. Two figures of the
        // article's own, or a sourced one beside the article's plain statement, are not rival counts.
        const sa = isSource(fa.attributedTo) ? fa.attributedTo : undefined;
        const sb = isSource(fb.attributedTo) ? fb.attributedTo : undefined;
        const rivalSources = Boolean(sa && sb && sa !== sb);
        const estimate = Boolean((sa && !sb && ESTIMATE_HEDGE.test(fb.hedge ?? '')) || (sb && !sa && ESTIMATE_HEDGE.test(fa.hedge ?? '')));
        if (!rivalSources && !estimate) continue;
        // About the same event: two sentences that share a topic besides the thing counted.
        if (fa.sentence !== fb.sentence && ![...facts[members[a]!]!.topics].some((t) => facts[members[b]!]!.topics.has(t))) continue;
        for (const idx of [members[a]!, members[b]!]) if (!pairs.includes(idx)) pairs.push(idx);
      }
    }
    if (pairs.length >= 2) {
      pairs.sort((x, y) => x - y);
      const described = pairs.map((i) => {
        const f = figures[i]!;
        return `${f.value}${f.attributedTo ? ` (${f.attributedTo})` : ''}`;
      });
      conflicts.push({ about: cls, figures: pairs, note: `The article gives different figures for ${cls}: ${described.join(' vs ')}.` });
    }
  }
  return conflicts;
}
