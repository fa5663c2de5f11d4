import type { ArticleDocument } from './document.js';
import {
  isCommonWord,
  isDemonym,
  isFemaleName,
  isFirstName,
  isFunctionWord,
  isLastName,
  isMaleName,
  isOrganizationWord,
  isPlaceWord,
  roleGender,
  SPEECH_VERBS,
  TITLE_WORDS,
} from './lexicon.js';
import { isCapitalized, tokenize, type Token } from './tokens.js';

/**
 * Names in the article: runs of capitalised words, classified as people, places or
 * organizations with the help of the compromise lexicon and the words around them
 * ("President", "in", "Ministry of"). Surnames and titles are resolved to the full name the
 * article introduced first, so "Zelensky" and "Ukrainian President Volodymyr Zelensky" are one
 * person.
 */

export type EntityKind = 'person' | 'place' | 'organization' | 'other';

export interface Mention {
  paragraph: number;
  sentence: number;
  /** Offsets in the paragraph text. */
  start: number;
  end: number;
  /** The name without titles, possessive or trailing hyphenated modifiers. */
  name: string;
  /** Title words written before the name: "Ukrainian President", "Lt. Gen.". */
  title?: string;
  kind: EntityKind;
  gender?: 'male' | 'female';
  /** A name used as a modifier of another name ("Clinton communication director Jennifer Palmieri"). */
  modifier?: boolean;
}

export interface GenderEvidence {
  gender: 'male' | 'female';
  /** From an honorific or a gendered role in the text ("Mrs.", "widow"), not only the name's usual gender. */
  strong: boolean;
}

export interface EntityIndex {
  mentions: Mention[];
  /** Canonical full name for a person, keyed by every lower-cased form seen (full name, surname). */
  personByKey: Map<string, string>;
  genderOf: Map<string, GenderEvidence>;
  /**
   * The one person the article names in full with this surname (or, failing that, this first
   * word of a name: "Sandra", "Ban" for Ban Ki-moon), whatever else the word can be ("Cuban",
   * "Guardian", "From"); undefined when none or several.
   */
  fullNameOf(word: string): string | undefined;
  /** A paragraph's tokens, abbreviations merged, as read here (undefined for headings). */
  tokensOf(paragraph: number): Token[] | undefined;
  people: string[];
  places: string[];
  organizations: string[];
}

const CONNECTORS = new Set(['de', 'da', 'di', 'del', 'della', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'dos', 'du', 'y']);
const ORG_CONNECTORS = new Set(['of', 'for', '&']);
const ORG_HEADS = new Set(
  `ministry department organization organisation agency council committee commission party union association university
college institute bank company corporation corp inc ltd llc plc group times post news network service services court
police army navy force forces office board authority fund foundation society federation league club fc senate congress
parliament assembly administration government kremlin pentagon house school hospital church museum center centre
journal tribune guardian telegraph herald gazette review press channel media broadcasting airlines airways motors
studios records institution programme program project campaign movement front brigade regiment battalion guard
guards command unit intelligence commission conference summit cabinet bureau industries holdings partners capital staff
reuters bloomberg associated telegraph cnn bbc abc nbc cbs fox`.split(/\s+/),
);
const PLACE_HEADS = new Set(
  `street road avenue square river mountain mountains lake sea ocean island islands bay valley county state province
region city town village district peninsula coast gulf strait desert park airport station bridge tower hotel plaza
arena stadium`.split(/\s+/),
);
const FUNCTION_WORDS = new Set(['the', 'a', 'an', 'this', 'that', 'it', 'he', 'she', 'they', 'we', 'i', 'you', 'but', 'and', 'or', 'so', 'who', 'which', 'what', 'there', 'here', 'one', 'some', 'many', 'officials', 'police', 'sources']);
const PRONOUN_WORDS = new Set(['he', 'she', 'they', 'we', 'it', 'you', 'him', 'them', 'us', 'me']);
const MODIFIED_HEADS = new Set([
  'campaign', 'administration', 'team', 'camp', 'supporters', 'voters', 'aides', 'aide', 'staff', 'era', 'years',
  'presidency', 'foundation', 'family', 'allies', 'loyalists', 'rally', 'rallies', 'surrogate', 'surrogates',
  'adviser', 'advisers', 'advisor', 'advisors', 'spokesman', 'spokeswoman', 'spokesperson', 'camp', 'policy',
  'policies', 'plan', 'doctrine', 'tower', 'organization', 'brand', 'emails', 'email', 'server', 'voter',
  'supporter', 'official', 'officials', 'member', 'members', 'staffer', 'staffers', 'employee', 'employees', 'source',
  'sources', 'insider', 'insiders', 'operative', 'operatives', 'strategist', 'strategists', 'donor', 'donors', 'ally',
  'delegate', 'delegates', 'lawmaker', 'lawmakers', 'spokespeople', 'representative', 'backer', 'backers',
]);
const PARTY_WORDS = new Set(['republican', 'republicans', 'democrat', 'democrats', 'democratic', 'labour', 'conservative', 'conservatives', 'liberal', 'tory', 'tories', 'gop', 'green', 'greens']);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'across', 'into', 'outside', 'inside', 'throughout']);
const NON_NAME_CAPS = new Set([
  'i', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'ok', 'tv', 'tl', 'dr',
]);


interface Chunk {
  tokens: Token[];
  titleCount: number;
}

/** Joins "Lt" + "." and "U.S" + "." into one token, so titles and acronyms stay whole. */
function mergeAbbreviations(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (
      t.word &&
      next?.text === '.' &&
      next.start === t.end &&
      (TITLE_WORDS.has(t.lower + '.') || /^(?:\p{L}\.)+\p{L}$/u.test(t.text) || /^\p{Lu}$/u.test(t.text) || ['jr', 'sr', 'st'].includes(t.lower))
    ) {
      out.push({ text: t.text + '.', start: t.start, end: next.end, word: true, lower: t.lower + '.' });
      i++;
    } else {
      out.push(t);
    }
  }
  return out;
}

function stripPossessive(word: string): string {
  return word.replace(/['’]s?$/u, '');
}

function chunksOf(tokens: Token[], sentenceStart: number, properWords: Set<string>): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Token[] = [];
  const flush = (): void => {
    // Drop trailing connectors ("Bank of").
    while (current.length > 0 && !isCapitalized(current[current.length - 1]!.text)) current.pop();
    if (current.length > 0) {
      // Titles lead the name: "Ukrainian President Volodymyr Zelensky", "Lt. Gen. Kyrylo Budanov".
      let titleCount = 0;
      for (let k = 0; k < current.length - 1; k++) if (TITLE_WORDS.has(current[k]!.lower)) titleCount = k + 1;
      chunks.push({ tokens: current, titleCount });
    }
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.word) {
      flush();
      continue;
    }
    // A pronoun is never a name, wherever it stands ("“Too forced?” He tweeted").
    let capital = isCapitalized(t.text) && !PRONOUN_WORDS.has(t.lower);
    if (capital && NON_NAME_CAPS.has(t.lower.replace(/\.$/, ''))) {
      // A month or a weekday is a name after a first name or an honorific ("Theresa May", "Ms.
      // May"), unless a day's number follows.
      const previous = current[current.length - 1];
      capital = t.lower !== 'i' && previous !== undefined && (isFirstName(previous.text) || roleGender(previous.lower) !== undefined) && !/^\d/.test(tokens[i + 1]?.text ?? '');
    }
    if (capital) {
      const sentenceInitial = t.start === sentenceStart || (i > 0 && /^["“‘'(]$/.test(tokens[i - 1]!.text) && tokens[i - 1]!.start === sentenceStart);
      // A sentence's first word is a name only when the article capitalises it elsewhere too, or
      // a speech verb follows ("Pence added", "Bush said"), or another capitalised word does.
      if (current.length === 0 && sentenceInitial && isCommonWord(stripPossessive(t.text)) && !TITLE_WORDS.has(t.lower)) {
        const after = tokens[i + 1];
        const bare = stripPossessive(t.text);
        // A function word ("When asked") is a name only when the article also writes it
        // capitalised mid-sentence and a speech verb follows ("From said" for Al From).
        const speech = after !== undefined && SPEECH_VERBS.has(after.lower);
        // A first name that is also a word opens a full name: "Bill Clinton got in on the game".
        const firstName = isFirstName(bare) && after !== undefined && after.word && isCapitalized(after.text);
        const named = !FUNCTION_WORDS.has(t.lower) && (isFunctionWord(bare) ? properWords.has(bare) && speech : properWords.has(bare) || speech || firstName);
        if (!named) continue;
      }
      current.push(t);
      // A possessive or a hyphenated lower-case tail ends the name: "Russia's", "Nicholls-trained".
      if (/['’]s?$/u.test(t.text) || /-\p{Ll}+$/u.test(t.text)) flush();
      continue;
    }
    const next = tokens[i + 1];
    if (current.length > 0 && next && isCapitalized(next.text) && (CONNECTORS.has(t.lower) || ORG_CONNECTORS.has(t.lower))) {
      current.push(t);
      continue;
    }
    flush();
  }
  flush();
  return chunks;
}

function cleanName(tokens: Token[]): string {
  const parts = tokens.map((t) => t.text);
  const last = parts.length - 1;
  parts[last] = stripPossessive(parts[last]!.replace(/-\p{Ll}+$/u, ''));
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function classify(name: string[], titleWords: string[], before: Token | undefined, after: Token | undefined): EntityKind {
  const lowerWords = name.map((w) => w.toLowerCase().replace(/\.$/, ''));
  const lastWord = lowerWords[lowerWords.length - 1] ?? '';
  // "Atlantic City Mayor Don Guardian": a title and a first name make a person, whatever the surname.
  if (name.length >= 2 && titleWords.length > 0 && !titleWords.every((w) => isDemonym(w)) && isFirstName(name[0]!)) return 'person';
  // "Michael Bloomberg": a first name and a proper surname, even one a company also bears.
  if (name.length === 2 && isFirstName(name[0]!) && !isCommonWord(name[1]!) && !isPlaceWord(name[1]!) && !/^\p{Lu}+$/u.test(name[1]!)) return 'person';
  // Organization words count in the name, not in a title before it ("U.S. Air Force Gen. Norman Ham").
  const nameWords = name.map((w) => w.toLowerCase().replace(/\.$/, ''));
  if (nameWords.some((w) => ORG_HEADS.has(w)) || isOrganizationWord(name.join(' '))) return 'organization';
  // Web addresses are outlets or products: "BrightU.AI", "Brighteon.com".
  if (name.some((w) => /\p{L}\.\p{L}{2,}$/u.test(w) && !/^(?:\p{L}\.)+\p{L}?$/u.test(w))) return 'organization';
  // "Russia-North Korea" names a relation between places, not a place.
  if (name.some((w) => w.includes('-') && w.split('-').some((part) => isPlaceWord(part)))) return 'other';
  // "a former Spanish teacher": a people's word after a title describes, it names no one; "the
  // former Florida governor": a place's name stays a place.
  if (name.length === 1 && isDemonym(name[0]!)) return 'other';
  if (name.length === 1 && isPlaceWord(name[0]!)) return 'place';
  if (titleWords.length > 0 && !titleWords.every((w) => isDemonym(w))) return 'person';
  if (name.length === 1 && /^\p{Lu}{2,6}$/u.test(name[0]!) && !isPlaceWord(name[0]!)) return 'organization';
  if (PLACE_HEADS.has(lastWord) || isPlaceWord(name.join(' '))) return 'place';
  if (name.length >= 2 && name.every((w) => isPlaceWord(w) || /^(north|south|east|west|northeast|northwest|southeast|southwest|new|central|upper|lower)$/i.test(w)))
    return 'place';
  if (name.length === 1 && isPlaceWord(name[0]!)) return 'place';
  // "North Korean" is a people's word; "Mark Cuban" is a first name and a surname.
  if (isDemonym(name[name.length - 1]!) && !(name.length === 2 && isFirstName(name[0]!))) return 'other';
  // Words of places, institutions and parties inside the run make it not a person's name.
  if (lowerWords.some((w) => PLACE_HEADS.has(w) || PARTY_WORDS.has(w))) return lowerWords.some((w) => PARTY_WORDS.has(w)) ? 'organization' : 'place';
  const hasAcronym = name.some((w) => /^\p{Lu}{2,}$/u.test(w));
  if (!hasAcronym && name.length >= 2 && (isFirstName(name[0]!) || isLastName(name[name.length - 1]!))) return 'person';
  if (before && PLACE_PREPOSITIONS.has(before.lower) && name.length <= 3) return 'place';
  if (name.length >= 2 && name.length <= 4 && !name.some((w) => /^\p{Lu}+$/u.test(w) && w.length > 1)) {
    // Two to four capitalised words with nothing to say otherwise: most often a person's name.
    return after?.lower === 'of' ? 'organization' : 'person';
  }
  return 'other';
}

function genderOf(first: string | undefined, titleWords: string[]): GenderEvidence | undefined {
  for (const t of titleWords) {
    const g = roleGender(t);
    if (g) return { gender: g, strong: true };
  }
  if (first === undefined) return undefined;
  const male = isMaleName(first);
  const female = isFemaleName(first);
  if (male && !female) return { gender: 'male', strong: false };
  if (female && !male) return { gender: 'female', strong: false };
  return undefined;
}

/**
 * Finds every name mention. `listed(sentence)` says whether a sentence's names count towards the
 * people/places/organizations lists (names in a source list or a promo do not).
 */
export function findEntities(doc: ArticleDocument, listed: (sentenceIndex: number) => boolean = () => true): EntityIndex {
  const mentions: Mention[] = [];
  const personByKey = new Map<string, string>();
  const gender = new Map<string, GenderEvidence>();
  const counts = { person: new Map<string, number>(), place: new Map<string, number>(), organization: new Map<string, number>() };

  const paragraphTokens = new Map<number, Token[]>();
  // Words the article capitalises in mid-sentence: proper names wherever they stand.
  const properWords = new Set<string>();
  for (const sentence of doc.sentences) {
    const words = sentence.text.match(/(?<=[\p{L}\p{N},;]\s+)\p{Lu}[\p{L}'’-]*/gu) ?? [];
    for (const w of words) properWords.add(stripPossessive(w));
  }
  for (const paragraph of doc.paragraphs) {
    if (paragraph.heading) continue;
    for (const sentence of paragraph.sentences) {
      const tokens = mergeAbbreviations(tokenize(sentence.text, sentence.start));
      const paragraphList = paragraphTokens.get(paragraph.index) ?? [];
      for (const t of tokens) paragraphList.push(t);
      paragraphTokens.set(paragraph.index, paragraphList);
      for (const chunk of chunksOf(tokens, sentence.start, properWords)) {
        let titleCount = chunk.titleCount;
        // "Secretary of State Madeleine Albright": the office's "of X" belongs to the title.
        if (titleCount > 0) {
          const rest = chunk.tokens.slice(titleCount);
          if (rest.length >= 3 && ORG_CONNECTORS.has(rest[0]!.lower)) titleCount += 2;
        }
        const titleTokens = chunk.tokens.slice(0, titleCount);
        let nameTokens = chunk.tokens.slice(titleCount);
        // "Sen. Tom Udall of New Mexico", "Juan Manriquez of Oakland": a person's name ends before "of".
        const of = nameTokens.findIndex((x, k) => k > 0 && ORG_CONNECTORS.has(x.lower));
        const personish = titleCount > 0 || isFirstName(stripPossessive(nameTokens[0]?.text ?? ''));
        if (personish && of > 0 && nameTokens.slice(0, of).every((x) => isCapitalized(x.text))) nameTokens = nameTokens.slice(0, of);
        // "Attorney General of Delaware": an office, not a name.
        while (nameTokens.length > 0 && (ORG_CONNECTORS.has(nameTokens[0]!.lower) || CONNECTORS.has(nameTokens[0]!.lower))) nameTokens = nameTokens.slice(1);
        if (nameTokens.length === 0) continue;
        const first = chunk.tokens[0]!;
        const last = nameTokens.length > 0 ? nameTokens[nameTokens.length - 1]! : chunk.tokens[chunk.tokens.length - 1]!;
        const tokenIndex = tokens.indexOf(first);
        const before = tokens[tokenIndex - 1];
        const after = tokens[tokens.indexOf(last) + 1];
        const name = cleanName(nameTokens);
        if (!name) continue;
        const nameWords = name.split(' ');
        // A lower-case title right before the name: "spokesman Dmitry Peskov".
        const titleWords = titleTokens.map((t) => t.text);
        if (before && TITLE_WORDS.has(before.lower) && !isCapitalized(before.text)) titleWords.unshift(before.text);
        let kind = classify(nameWords, titleWords, before, after);
        // A single word already known as a person's surname or full name is that person.
        const known = personByKey.get(name.toLowerCase());
        if (known && (kind !== 'place' || !isPlaceWord(name))) kind = 'person';
        let canonical = name;
        if (kind === 'person') {
          canonical = known ?? name;
          if (!known) {
            personByKey.set(name.toLowerCase(), name);
            if (nameWords.length >= 2) {
              const surname = nameWords[nameWords.length - 1]!.toLowerCase();
              // A surname that is also a word ("Ham", "Bush") counts when a first name vouches for it.
              const vouched = !isCommonWord(surname) || isFirstName(nameWords[0]!);
              if (!personByKey.has(surname) && vouched && !isDemonym(surname) && !PARTY_WORDS.has(surname)) personByKey.set(surname, name);
            }
          }
          const g = genderOf(nameWords.find((w) => isMaleName(w) || isFemaleName(w)) ?? nameWords[0], titleWords);
          const had = gender.get(canonical);
          if (g && (!had || (g.strong && !had.strong))) gender.set(canonical, g);
        }
        const mention: Mention = {
          paragraph: paragraph.index,
          sentence: sentence.index,
          start: first.start,
          end: last.end,
          name: canonical,
          kind,
        };
        if (titleWords.length > 0) mention.title = titleWords.join(' ');
        const g = gender.get(canonical);
        if (g) mention.gender = g.gender;
        // "Clinton communication director Jennifer Palmieri": the first name only modifies the second.
        const previous = mentions[mentions.length - 1];
        if (previous && previous.sentence === sentence.index && kind === 'person') {
          const between = paragraph.text.slice(previous.end, mention.start);
          const words = between.trim().split(/\s+/);
          if (/^\s+(?:[a-z][\w-]*\s+){1,4}$/.test(between) && words.some((w) => TITLE_WORDS.has(w) || w === 'campaign')) previous.modifier = true;
          if (/^['’]s?\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*,?\s+$/.test(between)) previous.modifier = true;
        }
        // "the Clinton campaign", "Trump supporters", "a White House official": a name before such a noun is a modifier.
        const nextWord = /^\s+([a-z][\w-]*)/.exec(paragraph.text.slice(mention.end, mention.end + 30))?.[1];
        if ((kind === 'person' || kind === 'organization') && nextWord && MODIFIED_HEADS.has(nextWord)) mention.modifier = true;
        mentions.push(mention);
        if (kind !== 'other' && listed(sentence.index) && !PARTY_WORDS.has(canonical.toLowerCase())) counts[kind].set(canonical, (counts[kind].get(canonical) ?? 0) + 1);
      }
    }
  }
  // A first name or a surname alone stands for the one person the article names in full with it,
  // whether the full name comes before or after ("Kasich said ... Gov. John Kasich", "Sandra
  // said ... Sandra Paradis"). A word shared by two full names stays as written.
  const fullBy = new Map<string, Set<string>>();
  for (const m of mentions) {
    if (m.kind !== 'person') continue;
    const words = m.name.split(' ');
    if (words.length < 2) continue;
    for (const key of [`last:${words[words.length - 1]!.toLowerCase()}`, `first:${words[0]!.toLowerCase()}`]) {
      const set = fullBy.get(key) ?? new Set<string>();
      set.add(m.name);
      fullBy.set(key, set);
    }
  }
  const fullNameOf = (word: string, anyFirstWord = true): string | undefined => {
    const key = word.toLowerCase();
    const bySurname = fullBy.get(`last:${key}`);
    if (bySurname) return bySurname.size === 1 ? [...bySurname][0] : undefined;
    const byFirst = fullBy.get(`first:${key}`);
    return byFirst?.size === 1 && (anyFirstWord || isFirstName(word)) ? [...byFirst][0] : undefined;
  };
  for (const m of mentions) {
    if ((m.kind !== 'other' && m.kind !== 'person') || m.name.includes(' ')) continue;
    // A single word first classified as "other" may turn out to be a person's surname later.
    const person = (m.kind === 'person' ? fullNameOf(m.name, false) : undefined) ?? personByKey.get(m.name.toLowerCase()) ?? (m.kind === 'other' && !isDemonym(m.name) ? fullNameOf(m.name, false) : undefined);
    if (!person || person === m.name) continue;
    if (listed(m.sentence)) {
      if (m.kind === 'person') counts.person.set(m.name, (counts.person.get(m.name) ?? 1) - 1);
      counts.person.set(person, (counts.person.get(person) ?? 0) + 1);
    }
    const g = gender.get(m.name);
    if (g && !gender.has(person)) gender.set(person, g);
    m.kind = 'person';
    m.name = person;
    if (!personByKey.has(person.toLowerCase())) personByKey.set(person.toLowerCase(), person);
  }
  for (const [name, count] of counts.person) if (count <= 0) counts.person.delete(name);
  const ranked = (map: Map<string, number>): string[] =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  return {
    mentions,
    personByKey,
    genderOf: gender,
    fullNameOf,
    tokensOf: (paragraph) => paragraphTokens.get(paragraph),
    people: dedupeContained(ranked(counts.person)),
    places: dedupeContained(ranked(counts.place)),
    organizations: dedupeContained(ranked(counts.organization)),
  };
}

/** Drops a name that is a word-suffix of a longer one kept ("Korea" under "North Korea"). */
function dedupeContained(names: string[]): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (kept.some((k) => k.toLowerCase().endsWith(' ' + lower) || k.toLowerCase() === lower)) continue;
    kept.push(name);
  }
  return kept;
}

export { mergeAbbreviations };
