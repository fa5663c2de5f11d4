import lexiconData from './lexicon-data.json' with { type: 'json' };

/**
 * Word lists the engine reasons with. Proper-noun knowledge (first names with their usual
 * gender, countries, cities, regions, organizations, demonyms, honorifics) and the common words'
 * parts of speech come from the lexicon of the `compromise` NLP library; running its full tagger
 * costs ~30 ms per 800 words, three times our whole budget, so the engine chunks names itself and
 * asks the lexicon. The lexicon is read from a snapshot (lexicon-data.json, written by
 * `npm run lexicon` and checked against the installed compromise by a test): compromise itself
 * takes ~220 ms and ~30 MB to unpack it in every process that briefs.
 */

/** Each word (lower case, as compromise keeps them) with its tags; a word's tag list is shared, never changed. */
const LEXICON = new Map<string, readonly string[]>();
for (const [key, words] of Object.entries(lexiconData.tags as Record<string, string[]>)) {
  const tags = Object.freeze(key.split(','));
  for (const word of words) LEXICON.set(word, tags);
}

const NO_TAGS: readonly string[] = Object.freeze([]);

export function lexiconTags(word: string): readonly string[] {
  return LEXICON.get(word.toLowerCase()) ?? NO_TAGS;
}

function hasTag(word: string, ...tags: string[]): boolean {
  const found = lexiconTags(word);
  return found.some((t) => tags.includes(t));
}

export const isMaleName = (w: string): boolean => hasTag(w, 'MaleName');
export const isFemaleName = (w: string): boolean => hasTag(w, 'FemaleName');
/** First names that are also ordinary words, which the lexicon knows only as words ("Bill", "Rand"). */
const WORD_FIRST_NAMES = new Set([
  'bill', 'will', 'mark', 'rand', 'jack', 'frank', 'grant', 'rush', 'chuck', 'pat', 'sue', 'hope', 'faith', 'joy',
  'grace', 'rose', 'june', 'dawn', 'hunter', 'mason', 'chase', 'carter', 'cliff', 'dean', 'drew', 'gene', 'guy',
  'ken', 'max', 'miles', 'ray', 'rob', 'rod', 'sandy', 'wade', 'bob', 'rich', 'ward', 'buck', 'rusty', 'woody',
]);

export const isFirstName = (w: string): boolean => hasTag(w, 'MaleName', 'FemaleName', 'FirstName') || WORD_FIRST_NAMES.has(w.toLowerCase());
export const isLastName = (w: string): boolean => hasTag(w, 'LastName');
export const isPlaceWord = (w: string): boolean => hasTag(w, 'Country', 'City', 'Region', 'Place');
export const isOrganizationWord = (w: string): boolean => hasTag(w, 'Organization', 'SportsTeam', 'Company');
/**
 * A word for a people, a nationality or a faith ("Mexican", "Spanish", "Muslims"): it describes
 * people and never names one. The lexicon lacks some, and plurals are its singulars'.
 */
export function isDemonym(w: string): boolean {
  if (hasTag(w, 'Demonym') || PEOPLE_WORDS.has(w.toLowerCase())) return true;
  const singular = w.replace(/s$/, '');
  return singular !== w && (hasTag(singular, 'Demonym') || PEOPLE_WORDS.has(singular.toLowerCase()));
}

const PEOPLE_WORDS = new Set([
  'spanish', 'english', 'british', 'irish', 'scottish', 'welsh', 'dutch', 'danish', 'swedish', 'finnish', 'polish',
  'turkish', 'kurdish', 'latino', 'latina', 'hispanic', 'arab', 'muslim', 'christian', 'jewish', 'jew', 'catholic',
  'protestant', 'evangelical', 'hindu', 'buddhist', 'sikh', 'mormon', 'sunni', 'shiite', 'shia', 'rohingya',
]);

/**
 * A news outlet or a platform that publishes others' words ("The New York Times", "CNN", "Fox
 * News", "Twitter"): where something was said, never who said it.
 */
export function isOutlet(name: string): boolean {
  const words = name
    .replace(/^the\s+/i, '')
    .toLowerCase()
    .split(/\s+/);
  if (OUTLETS.has(words.join(' '))) return true;
  if (words.length === 1) return /\.(?:com|org|net)$/.test(words[0]!);
  return OUTLET_HEADS.has(words[words.length - 1]!);
}

/** A word that alone, after "the", names an outlet: "the Times", "the Post", "the Journal". */
export function isOutletWord(word: string): boolean {
  return OUTLET_HEADS.has(word.toLowerCase());
}

const OUTLETS = new Set([
  'cnn', 'bbc', 'msnbc', 'cnbc', 'fox', 'politico', 'breitbart', 'huffpost', 'huffpo', 'axios', 'reuters', 'ap', 'afp',
  'bloomberg', 'npr', 'pbs', 'abc', 'nbc', 'cbs', 'vox', 'slate', 'salon', 'gawker', 'buzzfeed', 'vulture', 'blaze',
  'theblaze', 'federalist', 'hill', 'atlantic', 'newsweek', 'newsmax', 'usa today', 'twitter', 'facebook', 'instagram',
  'youtube', 'tiktok', 'reddit', 'telemundo', 'univision', 'al jazeera', 'drudge', 'mediaite', 'daily beast',
  'huffington post', 'washington examiner', 'wall street journal', 'guardian', 'independent', 'telegraph', 'economist',
]);

/** Last words of an outlet's name: "the Washington Post", "Fox News", "the Des Moines Register". */
const OUTLET_HEADS = new Set([
  'times', 'post', 'news', 'journal', 'tribune', 'herald', 'gazette', 'press', 'magazine', 'channel', 'network',
  'radio', 'tv', 'television', 'daily', 'weekly', 'observer', 'chronicle', 'register', 'inquirer', 'examiner',
  'courier', 'ledger', 'star-ledger', 'bulletin', 'dispatch', 'blog', 'website', 'newspaper', 'caller', 'beast',
  'report', 'review', 'monitor', 'standard', 'mail', 'sun', 'telegraph', 'guardian', 'times-picayune', 'post-dispatch',
]);

const PARTY_WORDS = new Set(['republican', 'republicans', 'democrat', 'democrats', 'democratic', 'gop', 'labour', 'tory', 'tories', 'conservative', 'conservatives', 'liberal', 'liberals', 'libertarian', 'independent']);

/** A party's name or member word ("Republican", "GOP"): describes someone, names no one. */
export const isPartyWord = (w: string): boolean => PARTY_WORDS.has(w.toLowerCase());

/** A word that only joins or frames a clause ("When", "If", "However"): never a name, even before "said". */
export function isFunctionWord(w: string): boolean {
  return lexiconTags(w).some((t) => FUNCTION_TAGS.has(t));
}

const FUNCTION_TAGS = new Set(['QuestionWord', 'Conjunction', 'Preposition', 'Adverb', 'Determiner', 'Pronoun']);

/** A word the lexicon knows only as an ordinary (not proper) word: "The", "However", "Sales". */
export function isCommonWord(word: string): boolean {
  const tags = lexiconTags(word);
  if (tags.length === 0) return COMMON_FALLBACK.has(word.toLowerCase());
  return !tags.some((t) =>
    ['MaleName', 'FemaleName', 'FirstName', 'LastName', 'Person', 'Place', 'Country', 'City', 'Region', 'Organization', 'SportsTeam', 'ProperNoun', 'Demonym', 'Honorific', 'Month', 'WeekDay', 'Acronym'].includes(t),
  );
}

const COMMON_FALLBACK = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'it', 'its', 'but', 'and', 'or', 'so', 'yet', 'if', 'when', 'while', 'as', 'in', 'on', 'at', 'for', 'from', 'with', 'by', 'of', 'to', 'after', 'before', 'since', 'during', 'despite', 'although', 'though', 'because', 'however', 'meanwhile', 'here', 'there', 'now', 'then', 'still', 'also', 'even', 'just', 'only', 'some', 'many', 'most', 'all', 'both', 'each', 'every', 'no', 'not', 'more', 'less', 'such', 'other', 'another', 'our', 'their', 'his', 'her', 'my', 'your', 'we', 'they', 'he', 'she', 'i', 'you', 'who', 'what', 'where', 'why', 'how', 'which', 'according', 'asked', 'said', 'says', 'meet', 'read', 'watch', 'click', 'sign', 'follow', 'share', 'subscribe', 'new', 'former', 'latest', 'last', 'first', 'next', 'yesterday', 'today', 'tomorrow', 'reuters']);

/** Verbs that introduce speech or a written statement, in every form a news report uses. */
const SPEECH_VERB_STEMS = [
  'say', 'said', 'says', 'saying', 'tell', 'told', 'tells', 'telling', 'add', 'added', 'adds', 'adding',
  'state', 'stated', 'states', 'stating', 'explain', 'explained', 'explains', 'explaining', 'note', 'noted',
  'notes', 'noting', 'ask', 'asked', 'asks', 'asking', 'write', 'wrote', 'writes', 'writing', 'written', 'declare', 'declared',
  'declares', 'declaring', 'continue', 'continued', 'continues', 'insist', 'insisted', 'insists', 'insisting',
  'argue', 'argued', 'argues', 'arguing', 'claim', 'claimed', 'claims', 'claiming', 'warn', 'warned', 'warns',
  'warning', 'stress', 'stressed', 'stresses', 'stressing', 'recall', 'recalled', 'recalls', 'recalling',
  'remark', 'remarked', 'remarks', 'reply', 'replied', 'replies', 'replying', 'respond', 'responded', 'responds',
  'quip', 'quipped', 'quips', 'tweet', 'tweeted', 'tweets', 'tweeting', 'post', 'posted', 'acknowledge',
  'acknowledged', 'acknowledges', 'admit', 'admitted', 'admits', 'announce', 'announced', 'announces',
  'announcing', 'concede', 'conceded', 'concedes', 'emphasize', 'emphasized', 'emphasizes', 'emphasise',
  'emphasised', 'pledge', 'pledged', 'pledges', 'pledging', 'vow', 'vowed', 'vows', 'vowing', 'promise',
  'promised', 'promises', 'promising', 'suggest', 'suggested', 'suggests', 'observe', 'observed', 'observes',
  'predict', 'predicted', 'predicts', 'complain', 'complained', 'complains', 'joke', 'joked', 'jokes',
  'exclaim', 'exclaimed', 'shout', 'shouted', 'cry', 'cried', 'whisper', 'whispered', 'conclude', 'concluded',
  'concludes', 'affirm', 'affirmed', 'counter', 'countered', 'contend', 'contended', 'contends', 'maintain',
  'maintained', 'maintains', 'urge', 'urged', 'urges', 'urging', 'describe', 'described', 'describes',
  'describing', 'call', 'called', 'calls', 'calling', 'praise', 'praised', 'praises', 'praising', 'confirm', 'confirmed',
  'confirms', 'deny', 'denied', 'denies', 'charge', 'charged', 'charges', 'assert', 'asserted', 'asserts',
  'boast', 'boasted', 'boasts', 'mused', 'muse', 'muses', 'reflected', 'reflects', 'reiterated', 'reiterates',
  'repeated', 'repeats', 'testified', 'testifies', 'told', 'wondered', 'wonders', 'agreed', 'agrees',
  'report', 'reported', 'reports', 'reporting', 'explained', 'sighed', 'laughed', 'snapped', 'fumed', 'raged', 'thundered',
  'lamented', 'laments', 'cautioned', 'cautions', 'advised', 'advises', 'demanded', 'demands', 'pointed',
  'points', 'interjected', 'retorted', 'blasted', 'slammed', 'hailed', 'welcomed', 'quoted', 'quotes', 'quoting', 'read', 'reads',
  'texted', 'emailed', 'messaged', 'posted', 'posts', 'proclaimed', 'proclaims', 'announced', 'chimed',
  'revealed', 'reveals', 'recounted', 'recounts', 'speculated', 'surmised', 'begged', 'pleaded', 'implored', 'shared', 'shares',
  'thanked', 'offered', 'accused', 'accuses', 'criticized', 'criticised', 'questioned', 'questions', 'wrote',
  'answer', 'answered', 'answers', 'confessed', 'confesses', 'barked', 'chanted', 'sang', 'sings', 'yelled', 'screamed',
  'began', 'opined', 'opines', 'predicts', 'conceded', 'explains', 'recalls', 'remembers', 'remembered', 'adds',
  'declares', 'insists', 'notes', 'observes', 'writes', 'tells', 'asks', 'replies', 'responds', 'retorts', 'quipped',
  'went', 'goes', 'added', 'acknowledges', 'announces', 'stresses', 'warns', 'argues', 'claims', 'counters',
  'marveled', 'marvelled', 'gushed', 'griped', 'grumbled', 'mocked', 'teased', 'vowed', 'swore', 'pressed',
];
export const SPEECH_VERBS = new Set(SPEECH_VERB_STEMS);

/** Forms used in inverted attributions: `"...," said Smith.` */
export const INVERTABLE_SPEECH_VERBS = new Set([
  'said', 'says', 'added', 'adds', 'asked', 'asks', 'wrote', 'writes', 'continued', 'continues', 'explained',
  'noted', 'replied', 'responded', 'declared', 'insisted', 'warned', 'tweeted', 'recalled', 'concluded', 'quipped',
  'argued', 'stated', 'remarked', 'observed', 'told', 'claimed', 'posted', 'countered', 'admitted',
]);

/** Nouns that name an utterance: "Kim's pledge of", "in a statement". */
export const SPEECH_NOUNS = new Set([
  'pledge', 'promise', 'vow', 'statement', 'words', 'remarks', 'comments', 'comment', 'remark', 'message',
  'tweet', 'post', 'speech', 'address', 'warning', 'claim', 'call', 'plea', 'appeal', 'declaration', 'interview',
  'letter', 'op-ed', 'response', 'reply', 'answer', 'testimony', 'words', 'quote', 'question', 'assurance',
  'insistence', 'announcement', 'description', 'demand', 'insistence', 'admission', 'boast', 'mantra', 'slogan',
]);

/** Cues that make a quoted span a name, a title or a term rather than someone's words. */
export const NAMING_CUES = new Set([
  'called', 'dubbed', 'nicknamed', 'named', 'titled', 'entitled', 'codenamed', 'code-named', 'known', 'so-called',
  'sign', 'callsign', 'term', 'word', 'phrase', 'label', 'labelled', 'labeled', 'branded', 'hashtag', 'slogan',
  'motto', 'tagline', 'headline', 'film', 'book', 'song', 'album', 'show', 'series', 'operation', 'nickname',
  'alias', 'moniker', 'rebranded', 'renamed', 'byline', 'program', 'programme', 'podcast', 'column', 'movie', 'play',
  'musical', 'novel', 'memoir', 'documentary', 'episode', 'segment', 'headlines', 'newspaper', 'magazine', 'blog',
  'slogans', 'catchphrase', 'course', 'class',
]);

export const PRONOUNS: Record<string, 'male' | 'female' | 'plural' | 'first'> = {
  he: 'male',
  him: 'male',
  his: 'male',
  she: 'female',
  her: 'female',
  they: 'plural',
  them: 'plural',
  we: 'plural',
  i: 'first',
};

const WORD_GENDER: Record<string, 'male' | 'female'> = {
  mr: 'male', sir: 'male', king: 'male', prince: 'male', duke: 'male', lord: 'male', father: 'male', son: 'male',
  husband: 'male', widower: 'male', brother: 'male', spokesman: 'male', chairman: 'male', congressman: 'male',
  businessman: 'male', councilman: 'male', assemblyman: 'male', actor: 'male', grandfather: 'male', uncle: 'male',
  mrs: 'female', ms: 'female', miss: 'female', queen: 'female', princess: 'female', duchess: 'female', lady: 'female',
  dame: 'female', sister: 'female', mother: 'female', daughter: 'female', wife: 'female', widow: 'female',
  spokeswoman: 'female', chairwoman: 'female', congresswoman: 'female', businesswoman: 'female', councilwoman: 'female',
  assemblywoman: 'female', actress: 'female', grandmother: 'female', aunt: 'female',
};

/** The gender an honorific or a role word shows ("Mrs.", "spokeswoman", "widower"), if any. */
export function roleGender(word: string): 'male' | 'female' | undefined {
  return WORD_GENDER[word.toLowerCase().replace(/\.$/, '')];
}

/** Abbreviated titles and the role words they stand for: "Sen." is a senator. */
export const TITLE_ABBREVIATIONS: Record<string, string> = {
  sen: 'senator', gov: 'governor', rep: 'representative', pres: 'president', gen: 'general', lt: 'lieutenant',
  sec: 'secretary', amb: 'ambassador', atty: 'attorney', supt: 'superintendent', cmdr: 'commander', adm: 'admiral',
  col: 'colonel', capt: 'captain', sgt: 'sergeant', prof: 'professor', dr: 'doctor', rev: 'reverend', del: 'delegate',
};

/**
 * Heads of a definite description that, unnamed, refer back to a principal of the story: "the
 * senator said", "the New York businessman said", "the Republican said". Not roles that are
 * usually someone new or anonymous ("the official", "the source", "the host", "the author").
 */
export const REFERRING_ROLES = new Set([
  'president', 'senator', 'governor', 'mayor', 'candidate', 'nominee', 'frontrunner', 'front-runner', 'businessman',
  'businesswoman', 'billionaire', 'mogul', 'magnate', 'tycoon', 'developer', 'congressman', 'congresswoman', 'lawmaker',
  'legislator', 'representative', 'secretary', 'minister', 'chancellor', 'premier', 'speaker', 'chairman',
  'chairwoman', 'republican', 'democrat', 'conservative', 'liberal', 'libertarian', 'independent', 'incumbent',
  'challenger', 'contender', 'hopeful', 'star', 'actor', 'actress', 'singer', 'comedian', 'author', 'ambassador',
  'president-elect', 'governor-elect', 'senator-elect', 'leader', 'pope', 'king', 'queen', 'prince', 'princess',
  'investor', 'entrepreneur', 'executive', 'founder',
]);

/** Words that can stand before a name as a title or role ("President", "Lt. Gen.", "spokesman"). */
export const TITLE_WORDS = new Set([
  'president', 'vice', 'prime', 'minister', 'secretary', 'senator', 'sen', 'sen.', 'rep', 'rep.', 'representative',
  'gov', 'gov.', 'governor', 'general', 'gen', 'gen.', 'lt', 'lt.', 'lieutenant', 'col', 'col.', 'colonel', 'major',
  'maj', 'maj.', 'captain', 'capt', 'capt.', 'sgt', 'sgt.', 'sergeant', 'admiral', 'adm', 'adm.', 'commander',
  'chancellor', 'king', 'queen', 'prince', 'princess', 'duke', 'duchess', 'lord', 'lady', 'sir', 'dame', 'mayor',
  'judge', 'justice', 'chief', 'director', 'chairman', 'chairwoman', 'chair', 'ceo', 'spokesman', 'spokeswoman',
  'spokesperson', 'dr', 'dr.', 'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'prof', 'prof.', 'professor', 'pope',
  'coach', 'manager', 'boss', 'officer', 'detective', 'sheriff', 'ambassador', 'attorney', 'speaker', 'leader',
  'candidate', 'nominee', 'founder', 'chairperson', 'economist', 'analyst', 'correspondent', 'editor', 'reporter',
  'trainer', 'jockey', 'striker', 'midfielder', 'defender', 'goalkeeper', 'captain', 'skipper', 'star', 'actor',
  'actress', 'singer', 'rapper', 'host', 'presenter', 'councillor', 'councilman', 'councilwoman', 'commissioner',
  'superintendent', 'inspector', 'constable', 'trooper', 'deputy', 'agent', 'official', 'aide', 'adviser',
  'advisor', 'strategist', 'lawyer', 'solicitor', 'barrister', 'prosecutor', 'rabbi', 'imam', 'bishop',
  'archbishop', 'cardinal', 'father', 'reverend', 'rev', 'rev.', 'pastor', 'sister', 'brother', 'doctor', 'nurse',
  'surgeon', 'scientist', 'researcher', 'author', 'writer', 'historian', 'activist', 'campaigner', 'head',
  'executive', 'owner', 'partner', 'president-elect', 'congressman', 'congresswoman', 'assemblyman',
  'assemblywoman', 'lawmaker', 'legislator', 'mp', 'mep', 'premier', 'emir', 'sheikh', 'ayatollah', 'marshal',
  'del', 'del.', 'delegate', 'former', 'acting', 'interim', 'incoming', 'outgoing', 'commissioner', 'treasurer', 'comptroller', 'auditor', 'clerk', 'registrar', 'dean', 'provost', 'principal',
  'teacher', 'student', 'resident', 'witness', 'victim', 'survivor', 'mother', 'father', 'son', 'daughter',
  'wife', 'husband', 'widow', 'friend', 'neighbour', 'neighbor', 'colleague', 'teammate', 'veteran', 'soldier',
  'pilot', 'engineer', 'worker', 'farmer', 'owner', 'chef', 'designer', 'producer', 'publisher', 'investor',
  'billionaire', 'businessman', 'businesswoman', 'entrepreneur', 'mogul', 'magnate', 'tycoon', 'banker',
  'broker', 'trader', 'consultant', 'pollster', 'organizer', 'organiser', 'volunteer', 'campaign', 'incumbent',
  'challenger', 'opponent', 'rival', 'ally', 'counterpart', 'predecessor', 'successor', 'envoy', 'diplomat',
  'negotiator', 'mediator', 'governor-elect', 'mayor-elect', 'frontrunner', 'front-runner', 'hopeful', 'justice',
]);

/** Lower-case heads of a description that can speak: "a spokesman", "officials", "the source". */
export const SPEAKER_NOUNS = new Set([
  ...TITLE_WORDS,
  'source', 'sources', 'officials', 'spokesman', 'spokeswoman', 'spokesperson', 'police', 'authorities',
  'investigators', 'prosecutors', 'experts', 'analysts', 'critics', 'supporters', 'residents', 'witnesses',
  'officers', 'doctors', 'lawyers', 'aides', 'advisers', 'advisors', 'leaders', 'lawmakers', 'ministers',
  'statement', 'report', 'commanders', 'commander', 'voters', 'democrats', 'republicans', 'people',
  'government', 'ministry', 'department', 'agency', 'company', 'campaign', 'team', 'club', 'group', 'committee',
  'council', 'court', 'military', 'army', 'spokespeople', 'representatives', 'staff', 'members', 'fans',
  'parents', 'family', 'insiders', 'observers', 'scientists', 'researchers', 'economists', 'officers',
  'organizers', 'organisers', 'protesters', 'protestors', 'activists', 'workers', 'employees', 'executives',
  'person', 'man', 'woman', 'men', 'women', 'someone', 'insider', 'operative', 'strategist', 'pundits',
  'newspaper', 'paper', 'email', 'e-mail', 'ad', 'advertisement', 'tweet', 'post', 'letter', 'headline', 'release',
  'memo', 'video', 'poll', 'study', 'document', 'filing', 'website', 'site', 'article', 'editorial', 'survey', 'book',
  'note', 'sign', 'banner', 'caption', 'narrator', 'announcer', 'supporter', 'supporters', 'voter', 'protester',
  'critic', 'spokesperson', 'candidate', 'nominee', 'campaign', 'administration', 'white', 'magazine', 'network',
  'outlet', 'anchor', 'host', 'moderator', 'judge', 'court', 'ruling', 'lawsuit', 'complaint', 'indictment',
  'transcript', 'message', 'messages', 'text', 'caller', 'reader', 'readers', 'listener', 'viewer', 'audience',
  'crowd', 'protesters', 'demonstrators', 'students', 'teachers', 'nurses', 'neighbors', 'neighbours', 'friends',
]);

/** Words that carry no content for ranking. */
export const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for
from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself
his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd
they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were
weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you
you'd you'll you're you've your yours yourself yourselves said says say will just also one two new year years
last first may can told like get got would could mr mrs ms dr`.split(/\s+/),
);

/** Hedges that qualify a figure or a claim. */
export const HEDGE_PHRASES = [
  'more than', 'over', 'less than', 'fewer than', 'under', 'about', 'around', 'roughly', 'nearly', 'almost',
  'approximately', 'some', 'at least', 'at most', 'up to', 'as many as', 'as much as', 'as few as', 'an estimated',
  'estimated', 'reportedly', 'allegedly', 'purportedly', 'claimed', 'claims', 'claim', 'estimate', 'estimates',
  'believed', 'thought to', 'said to', 'expected', 'projected', 'unverified', 'unconfirmed', 'possibly',
  'potentially', 'perhaps', 'likely', 'upwards of', 'close to', 'just over', 'just under', 'well over', 'in excess of',
];
