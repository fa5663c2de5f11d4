import type { NumberPhrase } from './figures-phrases.js';
import { lexiconTags } from './lexicon.js';
import { tokenize } from './tokens.js';

/**
 * What a figure counts or measures, as a noun phrase of its sentence, or nothing.
 *
 * - A count says what it counts with the noun phrase after the number ("13000 workers", "five NBA
 *   teams", "two of Johnson's deputies"), or, standing as the complement of a copula, with the
 *   subject ("their losses are more than 4,000").
 * - An amount of money, a percentage or a measure says what it measures when the sentence says:
 *   a noun it modifies ("a $150,000 contract", "a 25% tax", "a 6kW electric motor"), the thing it is
 *   a share of ("60 per cent of its revenue"), the noun it is "of" ("a fine of $10 million"), or the
 *   subject of the copula or change verb it completes ("the median price was $3.1 million",
 *   "shares slid 0.8%"). Otherwise it stands alone: "$800 million", what "".
 *
 * Never a verb, a function word, a pronoun or a noun from a neighbouring clause.
 */

/** Function words: a noun phrase never contains or ends with one. */
const FUNCTION_WORDS = new Set(
  `a an the this that these those its their his her our my your whose which who whom what whether of in on at to for from by with into onto
over under about after before since during through across against among between per via off out up down than like as near without within
toward towards upon including despite except ago apiece each later earlier apart away back less fewer most least so too very also just only
even still already yet again then now here there and or but nor while whereas although though because if when where is are was were be been
being am has have had do does did will would shall should can could may might must not no he she it they we i you him them us me
respectively alone altogether overall combined total number one ones more either neither both all any some such same own around roughly
nearly almost approximately exactly barely else instead whereby hence thus therefore however ahead behind clear adrift shy apiece first second
third last next`.split(/\s+/),
);
/** Adjectives that may open a counted noun phrase though they are function-like: "eight more picks". */
const OPENING_MODIFIERS = new Set(['more', 'other', 'additional', 'extra', 'further', 'new', 'fewer', 'combined']);
/** Heads that say nothing about what is counted: "a total of", "an average of". */
const VACUOUS = new Set([
  'total', 'sum', 'amount', 'figure', 'figures', 'number', 'numbers', 'level', 'levels', 'average', 'tally', 'count', 'value', 'rest', 'lowest',
  'highest', 'most', 'least', 'majority', 'minority', 'part', 'portion', 'share', 'half', 'range', 'maximum', 'minimum', 'estimate', 'estimates',
  'one', 'ones', 'top', 'bottom', 'record', 'tune', 'list', 'group', 'series', 'set', 'couple', 'pair', 'handful', 'dozen', 'score',
  // Abstract nouns that an amount is about, not a measure of: "the idea of a further £1bn".
  'idea', 'prospect', 'possibility', 'threat', 'risk', 'chance', 'fear', 'fears', 'hope', 'hopes', 'news', 'claim', 'claims', 'question', 'issue',
  'matter', 'thought', 'notion', 'sight', 'talk', 'talks', 'word', 'promise', 'offer', 'plan', 'plans', 'proposal', 'scale', 'region', 'order', 'tune',
]);
/** Nouns that say nothing about what a number counts, even right after it: "300 one", "9 number". */
const COUNT_VACUOUS = new Set(['one', 'ones', 'number', 'numbers', 'total', 'figure', 'figures', 'amount', 'sum']);
/** Words ending in -ing or -ed that are nouns after a number. */
const NOUN_ING = new Set(['building', 'buildings', 'housing', 'funding', 'spending', 'earnings', 'savings', 'holdings', 'listings', 'bookings', 'sightings', 'shootings', 'killings', 'bombings', 'meetings', 'findings', 'offerings', 'warnings', 'filings', 'postings', 'openings', 'rankings', 'ratings', 'readings', 'seedlings', 'siblings', 'servings', 'showings', 'trading', 'lending', 'borrowing', 'pricing', 'shipping', 'clothing', 'ceiling', 'training', 'screening', 'screenings', 'hearing', 'hearings', 'crossing', 'crossings', 'landing', 'landings', 'sing', 'king', 'kings', 'ring', 'rings', 'thing', 'things', 'wing', 'wings', 'spring', 'string', 'strings']);
const NOUN_ED = new Set(['hundred', 'hundreds', 'bed', 'beds', 'seed', 'seeds', 'shed', 'sheds', 'feed', 'speed', 'speeds', 'need', 'needs', 'deed', 'deeds', 'breed', 'breeds', 'reed', 'red', 'weed', 'weeds', 'creed', 'sled', 'wed', 'bred', 'dead', 'wounded', 'injured', 'insured', 'unemployed', 'employed', 'elderly']);
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'gov', 'sen', 'rep', 'gen', 'lt', 'col', 'prof', 'rev', 'sgt', 'capt', 'maj', 'adm']);
/** People words after an age: "a 93-year-old man", "the 18 year-old winger". */
const PERSON_NOUNS = new Set([
  'man', 'woman', 'boy', 'girl', 'child', 'baby', 'toddler', 'teenager', 'teen', 'youth', 'son', 'daughter', 'mother', 'father', 'grandmother',
  'grandfather', 'grandson', 'granddaughter', 'wife', 'husband', 'brother', 'sister', 'patient', 'driver', 'pupil', 'student', 'runner',
  'winger', 'striker', 'forward', 'defender', 'midfielder', 'goalkeeper', 'player', 'veteran', 'rookie', 'star', 'actor', 'actress', 'singer',
  'victim', 'suspect', 'resident', 'worker', 'employee', 'swimmer', 'cyclist', 'climber', 'pensioner', 'retiree', 'widow', 'widower', 'nurse',
  'doctor', 'teacher', 'officer', 'soldier', 'pilot', 'owner', 'founder', 'chief', 'executive', 'candidate', 'mum', 'mom', 'dad', 'gunman',
  'quarterback', 'pitcher', 'batsman', 'bowler', 'jockey', 'boxer', 'fighter', 'champion', 'mother-of-two', 'father-of-two', 'grandmother-of-two',
]);
const NOUN_TAGS = ['Noun', 'Singular', 'Plural', 'Uncountable', 'Actor', 'Unit', 'Currency', 'Duration', 'Demonym', 'ProperNoun', 'Organization', 'Place', 'Country', 'City'];
const VERB_TAGS = ['PastTense', 'Gerund', 'Copula', 'Modal', 'Auxiliary', 'Infinitive', 'PresentTense', 'Verb', 'Participle', 'PhrasalVerb'];

function hasAny(tags: readonly string[], wanted: readonly string[]): boolean {
  return tags.some((t) => wanted.includes(t));
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** Words in -s that are not plurals. */
const NOT_PLURAL = new Set(['this', 'its', 'was', 'has', 'is', 'news', 'series', 'species', 'means', 'gas', 'bus', 'plus', 'thus', 'lens', 'atlas', 'canvas', 'alias', 'bias', 'chaos', 'ethos', 'cosmos', 'kudos', 'always', 'perhaps', 'whereas', 'towards', 'afterwards', 'sometimes', 'besides', 'upwards', 'downwards', 'overseas', 'ourselves', 'themselves', 'yes']);

function looksPlural(word: string): boolean {
  const w = (word.toLowerCase().split('-').pop() ?? '').replace(/['’]$/, '');
  if (/(?:ss|us|is|ous|ics)$/.test(w) || NOT_PLURAL.has(w)) return false;
  return /[a-z]s$/.test(w) || ['people', 'men', 'women', 'children', 'police', 'feet', 'teeth', 'personnel', 'staff', 'troops', 'cattle', 'livestock', 'data', 'dead', 'wounded', 'injured'].includes(w);
}

const NUMBER_WORD = /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen)s?$/i;
const AUXILIARIES = /^(?:is|are|was|were|be|been|being|am|has|have|had|do|does|did|will|would|shall|should|can|could|may|might|must|said|says|say)$/;

/** Whether a word can stand in a noun phrase (as a noun or an adjective), not as a verb or an adverb. */
function isNominal(word: string, first: boolean, kind: NumberPhrase['kind']): boolean {
  const lower = word.toLowerCase();
  // "eight more picks" opens a counted phrase; "20% more powerful" compares.
  if (first && OPENING_MODIFIERS.has(lower)) return kind === 'count' || !/^(?:more|fewer)$/.test(lower);
  // "US troops", "NBA teams": an acronym is a name, whatever the lexicon says of "us".
  if (/^\p{Lu}{2,}s?$/u.test(word)) return true;
  if (FUNCTION_WORDS.has(lower)) return false;
  // Hyphenated compounds are modifiers or nouns: "gas-only", "first-team", "single-family".
  if (/^\p{L}+(?:-\p{L}+)+$/u.test(word)) return true;
  if (!/\p{L}/u.test(word)) return false;
  const tags = lexiconTags(lower);
  const nounish = hasAny(tags, NOUN_TAGS) || NOUN_ING.has(lower) || NOUN_ED.has(lower);
  // "two anti-personnel mines": a plural is a noun, whatever else its singular can be ("mine").
  if (hasAny(tags, ['Copula', 'Modal', 'Auxiliary', 'Preposition', 'Conjunction', 'Determiner', 'Pronoun', 'QuestionWord']) && !(looksPlural(word) && lower.length > 4)) return false;
  if (hasAny(tags, ['Adverb']) && !nounish) return false;
  if (/ly$/.test(lower) && !nounish && !['family', 'supply', 'assembly', 'rally', 'ally', 'italy', 'july', 'monthly', 'weekly', 'daily', 'quarterly', 'yearly', 'fly', 'belly', 'jelly', 'reply', 'anomaly', 'monopoly', 'poly', 'lily', 'bully', 'tally', 'melee'].includes(lower)) return false;
  if (/(?:ing)$/.test(lower) && !nounish && !isCapitalised(word)) return false;
  if (/(?:ed)$/.test(lower) && !nounish && !hasAny(tags, ['Adjective']) && !isCapitalised(word)) return false;
  if (!nounish && !isCapitalised(word) && hasAny(tags, VERB_TAGS) && !hasAny(tags, ['Adjective', 'Comparative', 'Superlative'])) {
    // After a number, an "-s" word is a plural noun ("6,000 engineers", "four bosses"); a base form
    // is a noun only after an amount or a measure ("a 25% tax", "a $1,000 payment"), not after a
    // bare count ("about 1000 come from Asia").
    if (looksPlural(word)) return true;
    if (kind === 'count' || hasAny(tags, ['PastTense', 'Gerund'])) return false;
  }
  if (hasAny(tags, ['Comparative']) && !nounish) return false;
  return true;
}

/** An adjective or an adverb that cannot head a noun phrase: "wide", "long", "old", "higher". */
function isModifierOnly(word: string): boolean {
  if (isCapitalised(word) || looksPlural(word)) return false;
  const lower = word.toLowerCase();
  const tags = lexiconTags(lower);
  if (hasAny(tags, NOUN_TAGS) || NOUN_ED.has(lower)) return false;
  return hasAny(tags, ['Adjective', 'Comparative', 'Superlative', 'Adverb']) || /(?:ly|est)$/.test(lower);
}

/**
 * Words that open a noun phrase: after a word that can be a verb, they are its object. Not
 * "this", "that", "each" or "every", which as often open a time ("3,000 savings accounts this year").
 */
const OPENS_OBJECT = /^(?:a|an|the|its|their|his|her|our|my|your)$/;

/**
 * "6,000 engineers signals a shift": an "-s" word that can be a verb, followed by the opening of a
 * noun phrase, is the verb of the clause and its object, not a second plural of the phrase.
 */
function isVerbWithObject(word: string, after: { word: boolean; lower: string } | undefined): boolean {
  if (!after?.word || !OPENS_OBJECT.test(after.lower)) return false;
  const tags = [...lexiconTags(word), ...lexiconTags(word.replace(/e?s$/, '')), ...lexiconTags(word.replace(/s$/, ''))];
  return hasAny(tags, ['PresentTense', 'Infinitive', 'Verb']);
}

interface Phrase {
  words: string[];
  /** Offset just after the last word, inside the sentence. */
  end: number;
}

/** Whether an "of" after this head word carries on the phrase ("pound-feet of torque", "categories of products"). */
function takesOf(head: string): boolean {
  return /^(?:categories|kinds|types|sorts|pieces|pairs|bottles|cans|cases|boxes|bags|cups|glasses|rounds|doses|units|snaps|tons|tonnes|barrels|gallons|litres|liters|acres|hectares|hours|minutes|days|weeks|months|years|decades|miles|feet|yards|metres|meters|items|shares|sacks|loads|truckloads|shipments|batches|tubes|bales|crates|containers|cartons|packs|packets|rolls|sheets|bars|slices|servings|grams|kilograms|pounds|ounces|lines|pages|volumes|episodes|seasons|words)$/i.test(
    head,
  );
}

/**
 * The noun phrase starting at `at` (after the number and its unit): up to five words, ending at a
 * plural head, a function word, a verb or punctuation. "of" carries on after units and containers.
 */
function phraseAfter(text: string, at: number, kind: NumberPhrase['kind'], opts: { capitalStart: boolean; allowOf: boolean }): Phrase | undefined {
  const tokens = tokenize(text.slice(at, at + 110), at);
  const words: string[] = [];
  let end = at;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.word) break;
    if (/^\d/.test(t.text)) {
      // "63000 Model 3 sedans", "new 737 Max jets", "250ml bottles": a number inside a name or a modifier.
      const next = tokens[i + 1];
      if (!next?.word || (words.length === 0 && !/\p{L}/u.test(t.text))) break;
      const prev = words[words.length - 1];
      if (!/\p{L}/u.test(t.text) && !(prev && isCapitalised(prev)) && !isCapitalised(next.text)) break;
      words.push(t.text);
      end = t.end;
      continue;
    }
    const lower = t.lower;
    if (lower === 'of' && opts.allowOf && words.length > 0 && takesOf(words[words.length - 1]!)) {
      const rest = phraseAfterOf(text, t.end, kind);
      if (rest) {
        words.push('of', ...rest.words);
        end = rest.end;
      }
      break;
    }
    if (lower === 'and' && words.length > 0) {
      // "27000 Model S and Model X vehicles", "4.3M digital and physical sales": a coordination
      // inside the phrase, when a plural head follows.
      const ahead = tokens.slice(i + 1, i + 5);
      const head = ahead.findIndex((a) => a.word && looksPlural(a.text) && !isCapitalised(a.text));
      if (head >= 0 && ahead.slice(0, head).every((a) => a.word && (isCapitalised(a.text) || isNominal(a.text, false, kind)))) {
        words.push('and');
        continue;
      }
    }
    if (!FUNCTION_WORDS.has(lower) && !isNominal(t.text, words.length === 0, kind) && !AUXILIARIES.test(lower)) {
      // "400,000 state residents", "517 rushing yards", "20 decently sized plants", "a 22 kW
      // charging device": a modifier before the noun it belongs to (a plural, or after an amount any noun).
      const ahead = tokens.slice(i + 1, i + 5);
      const head = ahead.findIndex((a) => a.word && !FUNCTION_WORDS.has(a.lower) && ((looksPlural(a.text) && !isCapitalised(a.text)) || (kind !== 'count' && hasAny(lexiconTags(a.lower), NOUN_TAGS))));
      if (head >= 0 && ahead.slice(0, head).every((a) => a.word && !FUNCTION_WORDS.has(a.lower))) {
        words.push(t.text);
        continue;
      }
    }
    const first = words.length === 0;
    if (first && isCapitalised(t.text) && !opts.capitalStart) break;
    if (!isNominal(t.text, first, kind)) break;
    words.push(t.text.replace(/['’]s$/, ''));
    end = t.end;
    // "half of Mrs. Clinton's bundlers", "four U.N. peacekeepers": the full stop of a title or an
    // abbreviation does not end the phrase.
    if ((TITLES.has(lower) || /^(?:\p{L}\.)+\p{L}$/u.test(t.text)) && tokens[i + 1]?.text === '.' && tokens[i + 2]?.word) {
      i++;
      continue;
    }
    // "two of Johnson's deputies": a possessive stands for the determiner of the noun after it.
    if (/['’]s$/.test(t.text) && !tokens[i + 1]?.word) break;
    if (looksPlural(t.text) && !(isCapitalised(t.text) && tokens[i + 1]?.word && isCapitalised(tokens[i + 1]!.text))) {
      // A plural ends the phrase ("70 percent of Americans say"), unless a name goes on or it
      // modifies another plural ("two anti-personnel mines").
      const next = tokens[i + 1];
      if (next?.word && looksPlural(next.text) && !isCapitalised(next.text) && isNominal(next.text, false, kind) && !isVerbWithObject(next.lower, tokens[i + 2])) continue;
      if (next?.lower === 'of' && opts.allowOf && takesOf(t.text)) continue;
      // "two United States service members": a name of several words ending in a plural modifies
      // the nouns after it.
      const named = words.length >= 2 && isCapitalised(t.text) && isCapitalised(words[words.length - 2]!);
      const after = tokens[i + 2];
      if (named && next?.word && !isCapitalised(next.text) && isNominal(next.text, false, kind) && after?.word && looksPlural(after.text) && isNominal(after.text, false, kind)) continue;
      break;
    }
    if (words.length >= 5) break;
  }
  // A phrase never ends in a modifier: "eight more" alone, "three new" alone, "25 inches wide".
  while (words.length > 0 && (OPENING_MODIFIERS.has(words[words.length - 1]!.toLowerCase()) || words[words.length - 1] === 'and' || isModifierOnly(words[words.length - 1]!))) words.pop();
  if (words.length === 0) return undefined;
  return { words, end };
}

/** "of (the|its|Johnson's) NP": the thing a share or a unit is of. */
function phraseAfterOf(text: string, at: number, kind: NumberPhrase['kind']): Phrase | undefined {
  const det = /^\s+(?:(?:the|its|their|his|her|our|this|that|these|those|a|an|all)\s+)?/i.exec(text.slice(at, at + 12));
  const from = at + (det?.[0].length ?? 0);
  return phraseAfter(text, from, kind === 'count' ? 'measure' : kind, { capitalStart: true, allowOf: false });
}

const HEDGE_TAIL = /(?:\s+(?:about|around|roughly|nearly|almost|more than|over|less than|under|up to|some|just|only|an estimated|estimated|between|from|a further|another|currently|now|still|already|expected to be|likely to be))+\s*$/i;
const COPULA_TAIL =
  /\s+(?:is|are|was|were|will be|would be|could be|has been|have been|had been|remains|remained|stood at|stands at|stand at|totaled|totalled|totals|reached|reaches|came to|comes to|amounted to|amounts to|averaged|averages|hit|hits|topped|tops|equals|equalled|equaled|numbered|numbers)\s*$/i;
const CHANGE_TAIL =
  /\s+(?:(?:were|was|are|is)\s+)?(?:up|down|rose|rises|risen|fell|falls|fallen|gained|gains|lost|loses|dropped|drops|declined|declines|slid|slides|slipped|climbed|climbs|jumped|jumps|surged|soared|plunged|plummeted|tumbled|sank|increased|increases|decreased|decreases|grew|grows|shrank|advanced|advancing|eased|dipped|rallied|slumped|retreated|edged up|edged down|widened|narrowed|improved)(?:\s+by)?\s*$/i;
const OF_TAIL = /\s+(?:of|at)\s*$/i;
const CLAUSE_END_Y = /^\s*(?:$|[,.;:!?)"”'’—–-]|(?:in|on|at|for|from|by|as|and|but|while|with|since|after|before|last|this|next|a|per|each|or|so|than|according|until|against|compared|up|down)\b)/i;
const COLON_TAIL = /\s*:\s*$/;
const CLAUSE_BREAK = /(?:[,;:()"“”—–]|\s-\s|\b(?:that|which|who|while|whereas|but|and|or|as|when|after|before|because|although|though|if|since|with|where|so|said|says|say|told|according to|than)\b)/gi;
const LEADING_DETERMINERS = /^(?:(?:the|a|an|its|their|his|her|our|this|that|these|those|each|every|all|both|some|[\p{L}.&-]+['’]s)\s+)+/iu;

/** The noun phrase that opens the clause ending at `at`: the subject of the copula or verb there. */
function clauseSubject(text: string, at: number): string | undefined {
  const head = text.slice(Math.max(0, at - 160), at);
  let from = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (const m of head.matchAll(CLAUSE_BREAK)) from = (m.index ?? 0) + m[0].length;
  const clause = head.slice(from).trim().replace(LEADING_DETERMINERS, '');
  if (!clause) return undefined;
  const words: string[] = [];
  for (const raw of clause.split(/\s+/)) {
    const w = raw.replace(/[.,]$/, '');
    // "the benchmark TA-25 index": a subject cut by a name with a number is not a phrase of its own.
    if (/\d/.test(w)) return undefined;
    if (!w || !isNominal(w, words.length === 0, 'measure')) break;
    words.push(w.replace(/['’]s$/, ''));
    if (/['’]s$/.test(w) || words.length >= 4) break;
  }
  return acceptableHead(words);
}

/** The words just before "of"/"at"/":" in front of a figure: "a fine of", "net worth of", "base price:". */
function nounBefore(text: string, at: number, strict: boolean): string | undefined {
  const head = text.slice(Math.max(0, at - 80), at);
  const words = head.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let i = words.length - 1;
  for (; i >= 0 && out.length < 4; i--) {
    const raw = words[i]!;
    // A clause break before "of" ("being produced, at £20") leaves no noun.
    if (/[,;:)"”.!?]$/.test(raw)) break;
    const w = raw.replace(/^[("“]/, '');
    // "margin of error of", "rate of return of": one "of" inside the noun phrase.
    if (w.toLowerCase() === 'of' && out.length > 0 && !out.includes('of') && i > 0 && isNominal(words[i - 1]!, false, 'measure') && !VACUOUS.has(words[i - 1]!.toLowerCase())) {
      out.unshift('of');
      continue;
    }
    if (/\d/.test(w) || NUMBER_WORD.test(w) || !isNominal(w, false, 'measure')) break;
    out.unshift(w.replace(/['’]s$/, ''));
    if (w !== raw) break;
  }
  if (out[0] === 'of') out.shift();
  // "up 19 cents at $58.24": the words after another figure are that figure's, not this one's.
  if (i >= 0 && /\d/.test(words[i]!) && !/[,;:)]$/.test(words[i]!)) return undefined;
  const last = out[out.length - 1];
  if (!last || (isCapitalised(last) && !/^[A-Z]{2,}$/.test(last))) return undefined;
  const previous = (words[i] ?? '').toLowerCase();
  // "could earn upward of", "which remains at": a verb phrase, not a noun phrase.
  if (/^(?:to|will|would|could|can|may|might|must|should|shall|did|do|does|i|we|you|he|she|they|it|which|that|who|what)$/.test(previous)) return undefined;
  // "membership dues start at": a plural subject and its verb.
  if (out.length >= 2 && looksPlural(out[out.length - 2]!) && !looksPlural(last) && hasAny(lexiconTags(last.toLowerCase()), VERB_TAGS.concat(['Singular']))) return undefined;
  // After an article the word is a noun, whatever else it can be: "a fine of", "the total of".
  if (/^(?:a|an|the|its|their|his|her|our|this|that)$/.test(previous) && out.length === 1 && !VACUOUS.has(last.toLowerCase()) && !FUNCTION_WORDS.has(last.toLowerCase())) return last;
  if (strict) {
    // "kept its main interest rate at 4.5%": the object a verb sets at an amount, by its head noun;
    // "valued at", "trading at", "mid-table at" have none.
    const determined = /^(?:a|an|the|its|their|his|her|our|this|that|these|those)$/.test(previous) || /['’]s$/.test(previous);
    if (!determined && !looksPlural(last) && !hasAny(lexiconTags(last.toLowerCase()), NOUN_TAGS)) return undefined;
    return acceptableHead([last]);
  }
  return acceptableHead(out);
}

/** The word before an amount shows whether it sits inside a noun phrase: "a $150,000 contract", "its 25% stake". */
const ATTRIBUTIVE_BEFORE = /(?:^|\s)(?:a|an|one|the|its|their|his|her|our|your|my|this|that|these|those|each|every|any|[\p{L}.&-]+['’]s|best|new|extra|annual|additional|average|combined|estimated|proposed|planned|record|total|whopping|staggering|hefty|massive|huge|modest|mere|further|overall)\s+(?:(?:about|around|roughly|nearly|almost|some|just|only|more than|over|estimated)\s+)?$/iu;
const NUMBER_OR_NAME_BEFORE = /(?:\d[\p{L}\d.,]*|\b\p{Lu}[\p{L}\p{N}-]*)\s+$/u;

function acceptableHead(words: string[]): string | undefined {
  if (words.length === 0) return undefined;
  const head = words[words.length - 1]!;
  const lower = head.toLowerCase();
  if (VACUOUS.has(lower) || FUNCTION_WORDS.has(lower)) return undefined;
  if (/(?:est)$/.test(lower) && !/(?:interest|forest|test|chest|quest|request|contest|protest|harvest|conquest|arrest|unrest|nest|vest|west|crest|guest|manifest|digest|rest)$/.test(lower)) return undefined;
  const tags = lexiconTags(lower);
  if (hasAny(tags, ['Adjective']) && !hasAny(tags, NOUN_TAGS) && !looksPlural(head)) return undefined;
  // A name alone is not what a figure measures ("Tesla jumped 8.5%"); a common noun is.
  if (words.every((w) => isCapitalised(w)) && !/^[A-Z]{2,}$/.test(head)) return undefined;
  return words.join(' ');
}

/** Lower-case words in -er, -or, -ist or -ian that are not someone: "the 40-year-old paper", "an 80-year-old order". */
const NOT_AGENTS = new Set([
  'other', 'after', 'under', 'over', 'never', 'either', 'neither', 'order', 'water', 'paper', 'center', 'centre', 'letter', 'number',
  'matter', 'error', 'color', 'colour', 'floor', 'door', 'corner', 'power', 'tower', 'river', 'summer', 'winter', 'chapter', 'theater',
  'theatre', 'shelter', 'timber', 'rubber', 'copper', 'silver', 'sector', 'factor', 'motor', 'tractor', 'mirror', 'border', 'harbour',
  'harbor', 'labor', 'labour', 'rumor', 'rumour', 'honor', 'honour', 'favor', 'favour', 'interior', 'exterior', 'weather', 'feather',
  'leather', 'cluster', 'disaster', 'register', 'computer', 'trailer', 'container', 'counter', 'quarter', 'master', 'sister',
]);

/** A noun of someone who does something, by its ending: "senator", "hunter", "activist", "musician". */
function isAgentNoun(word: string): boolean {
  const lower = word.toLowerCase();
  return word === lower && /^\p{Ll}{3,}(?:or|er|ist|ian)$/u.test(lower) && !NOT_AGENTS.has(lower);
}

/** Units a lead or a gap between rivals is counted in. */
const MARGIN_UNITS = /^(?:(?:percentage )?points?|votes?|seats?|strokes?|goals?|runs?|lengths?|games?|delegates?)$/i;

/** What the figure counts or measures, or "" when the sentence does not say. */
export function whatItMeasures(text: string, phrase: NumberPhrase, tailStart: number): string {
  const kind = phrase.kind;
  if (kind === 'fraction') {
    // "one in 23 people" counts what follows; "two-thirds of the troops" what it is a share of.
    if (/\bin\b/.test(phrase.value)) return phraseAfter(text, tailStart, 'count', { capitalStart: true, allowOf: false })?.words.join(' ') ?? '';
    const of = /^\s+of\b/i.exec(text.slice(tailStart, tailStart + 5));
    if (!of) return '';
    return phraseAfterOf(text, tailStart + of[0].length, 'measure')?.words.join(' ') ?? '';
  }
  if (phrase.unit && /old$/.test(phrase.unit)) {
    // An age: "an 18 year-old winger", "her 4-year-old foster son", "the 68 year-old Washington";
    // never the verb after it ("a 93 year-old finishes").
    const after = phraseAfter(text, tailStart, 'count', { capitalStart: true, allowOf: false });
    if (!after) return '';
    // The phrase's last noun of a person is its head: "foster son", "Vermont senator".
    const isPerson = (w: string): boolean => PERSON_NOUNS.has(w.toLowerCase()) || hasAny(lexiconTags(w.toLowerCase()), ['Actor', 'MaleName', 'FemaleName', 'Person']);
    const strong = after.words.findLastIndex(isPerson);
    let person = strong >= 0 ? strong : after.words.findLastIndex(isAgentNoun);
    // A first name goes on to the surname after it: "Maria Duarte".
    while (person >= 0 && isCapitalised(after.words[person]!) && person + 1 < after.words.length && isCapitalised(after.words[person + 1]!) && person < 2) person++;
    if (person >= 0) return after.words.slice(0, person + 1).join(' ');
    // "the 81-year-old Parker Eaton": the person's whole name, not its first word.
    const name: string[] = [];
    for (const w of after.words) {
      if (!isCapitalised(w) || FUNCTION_WORDS.has(w.toLowerCase()) || name.length === 3) break;
      name.push(w);
    }
    return name.join(' ');
  }
  // An amount modifies the noun after it only inside a noun phrase: "a $150,000 contract", "a 25%
  // tax", "a 6kW electric motor"; in "got £6.6m spread over two years" the word after is a verb.
  const inPhrase = kind === 'count' || ATTRIBUTIVE_BEFORE.test(text.slice(Math.max(0, phrase.start - 40), phrase.start)) || NUMBER_OR_NAME_BEFORE.test(text.slice(Math.max(0, phrase.start - 40), phrase.start));
  const own = inPhrase ? phraseAfter(text, tailStart, kind, { capitalStart: kind === 'count', allowOf: true }) : undefined;
  if (own) {
    const words = own.words;
    // A count of more than one counts a plural ("13,000 workers", "five NBA teams"); "34 watch
    // sport" is a subject and its verb.
    const of = words.indexOf('of');
    const head = of > 0 ? words[of - 1]! : words[words.length - 1]!;
    // "an elite 93.2 defensive grade": a decimal rates a singular; "12,000 North Koreans", "63,150
    // Model 3s": a name counts when it is a plural; "the 2,812 piece Betrayal" is a title.
    const decimal = !Number.isInteger(phrase.quantity);
    if (kind !== 'count' || (looksPlural(head) && (!isCapitalised(head) || !/\p{Ll}/u.test(words[0]!.charAt(0)))) || (decimal && !isCapitalised(head)) || /^\d/.test(head)) {
      const what = words.join(' ');
      if (!COUNT_VACUOUS.has(words[words.length - 1]!.toLowerCase())) return what;
    }
  }
  // "60 per cent of its revenue", "two of Johnson's deputies"
  const of = /^\s+of\b/i.exec(text.slice(tailStart, tailStart + 5));
  if (of && (kind !== 'count' || phrase.spelled || phrase.quantity < 100)) {
    const share = phraseAfterOf(text, tailStart + of[0].length, kind);
    // "within two points of Clinton", "three votes of Smith": a margin is measured from a rival,
    // whom it does not count.
    const margin = MARGIN_UNITS.test(phrase.unit ?? '') && share !== undefined && share.words.every((w) => isCapitalised(w));
    if (share && !margin && (kind !== 'count' || share.words.some((w) => looksPlural(w) && !isCapitalised(w)))) return share.words.join(' ');
  }
  const before = text.slice(0, phrase.start).replace(HEDGE_TAIL, '');
  // "their losses are more than 4,000.": the subject, when the figure ends its clause ("her son
  // was 100 percent American" says something else of the son).
  if (COPULA_TAIL.test(before) && CLAUSE_END_Y.test(text.slice(tailStart, tailStart + 30))) {
    const subject = clauseSubject(before, before.length - (COPULA_TAIL.exec(before)?.[0].length ?? 0));
    if (subject && (kind !== 'count' || looksPlural(subject.split(' ').pop()!))) return subject;
  }
  if (kind === 'count') return '';
  const ofAt = OF_TAIL.exec(before);
  if (ofAt) {
    const noun = nounBefore(before, before.length - ofAt[0].length, /at/i.test(ofAt[0]));
    if (noun && !/^(?:out|one|some|all|each|many|most|part|none)$/i.test(noun)) return noun;
  }
  if (COLON_TAIL.test(before)) {
    const noun = nounBefore(before, before.length - (COLON_TAIL.exec(before)?.[0].length ?? 0), false);
    if (noun) return noun;
  }
  if (phrase.change && CHANGE_TAIL.test(before)) {
    const subject = clauseSubject(before, before.length - (CHANGE_TAIL.exec(before)?.[0].length ?? 0));
    if (subject && !isCapitalised(subject.split(' ').pop()!)) return subject;
  }
  return '';
}

