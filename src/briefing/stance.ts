import type { ArticleDocument, Sentence } from './document.js';

/**
 * Sorts the outlet's own voice from what it reports. Boilerplate (promos, source lists,
 * navigation, captions) and opinion (sentences that argue, exhort or call to action rather
 * than report) are kept out of the TL;DR and the key points and shown apart.
 */

export type SentenceRole = 'report' | 'opinion' | 'boilerplate' | 'heading';

export interface StanceResult {
  role: SentenceRole;
  reason?: string;
}

const BOILERPLATE: Array<[RegExp, string]> = [
  [/^\s*(?:sources?|references?|citations?)(?: include| used)?\s*:/i, 'source list'],
  [/\b(?:watch|see) (?:the|this|our) (?:full )?video\b|\bvideo (?:below|above)\b|\bthis video is from\b/i, 'video promo'],
  [/\bscroll down (?:for|to)\b/i, 'navigation'],
  [/\b(?:click|tap) (?:here|the link|below)\b|\bread (?:more|the rest|the full (?:story|article))\b|\bcontinue reading\b/i, 'navigation'],
  [/\b(?:sign up|subscribe)(?: now| today)? (?:to|for) (?:our|the) (?:\w+ )?(?:newsletter|channel|podcast|updates|alerts)\b|\bsubscribe to\b/i, 'promo'],
  [/\bfollow (?:us|me|@\w+) on\b|\blike us on facebook\b|\bshare (?:this|on)\b.*\b(?:facebook|twitter|x)\b/i, 'promo'],
  [/(?:\bcopyright|©)\s*(?:\d{4}|\w)|\ball rights reserved\b/i, 'copyright'],
  [/\baffiliate (?:and\/or referral )?links?\b|\bwe may (?:earn|receive) (?:a )?(?:small )?(?:commission|compensation)\b|\b(?:sponsored|paid) (?:content|post)\b/i, 'disclosure'],
  // A page greeting its reader or selling itself: "Welcome to X's Daily Deals", "..., delivered weekday mornings."
  // A newsletter selling itself: "You can receive this daily update every weekday morning via email!"
  [/\b(?:receive|get) (?:this|our) (?:[\w-]+ ){0,3}(?:newsletter|update|digest|briefing|roundup|email)s?\b[^.!?]{0,60}\b(?:by|via) e-?mail\b/i, 'promo'],
  [/^\s*welcome to\b|\bdelivered (?:to your inbox|(?:every|each) (?:day|morning|week)|(?:daily|weekly|weekday mornings|weekday evenings))\b|\b(?:in|to) your inbox\b/i, 'promo'],
  // A byline or dateline standing as a sentence: "By Jo Reyes and Sam Lee on Monday, November 18th, 2019 at 11:08 a.m."
  // A name is two capitalised words at least, so "By Tuesday, the fire had spread" stays a sentence.
  [/^\s*[Bb][Yy]\s+\p{Lu}[\p{L}.'’-]+\s+\p{Lu}[\p{L}.'’-]+(?:\s*(?:,|and|&)?\s*\p{Lu}[\p{L}.'’-]+){0,6}\s*(?:,|\||on\b|at\b|-|—|$)/u, 'byline'],
  // A photograph described: "An artist's illustration of ...", "this image of ...", "X poses for a photo ...".
  [/^\s*(?:an? |the )?artist['’]s (?:illustration|impression|concept|rendering|depiction)\b|\b(?:took|shows?|captured) this (?:image|photo|photograph|picture)\b|\bposes? for (?:a )?(?:photo|picture|portrait)s?\b/i, 'caption'],
  [/\b(?:this (?:article|story|report) (?:originally )?(?:appeared|was (?:first )?published))\b/i, 'syndication note'],
  [/^\s*(?:advertisement|related(?: articles?| stories| coverage)?|more on this story|recommended|trending)\s*:?\s*$/i, 'navigation'],
  [/^\s*(?:by|from)\s*\.?\s*$|^\s*(?:published|updated|last updated)\s*:/i, 'dateline'],
  [/\b(?:reporting|additional reporting|editing|writing) by\b.*$/i, 'credits'],
  [/\b(?:photo|image|picture|video)s?(?: credit)?\s*:|\((?:photo|image|picture)s? (?:by|credit|courtesy)\b|\bgetty images\b|\bap photo\b/i, 'caption'],
  [/\b(?:download|get) (?:the|our) app\b|\bdonate (?:now|today|to)\b|\bsupport (?:our|independent) journalism\b/i, 'call to action'],
  [/\b(?:the views|opinions) expressed\b/i, 'disclaimer'],
  [/\b(?:contact|email|e-mail) (?:us|the author|the writer|reporter)\b|\b[\w.-]+@[\w-]+\.\w{2,}\b/i, 'contact line'],
  [/\bread (?:the rest|more) here\b/i, 'navigation'],
  // "For more video news from the Daily Bugle, check out this morning's newsbrief."
  [/^\s*for more (?:[\w-]+ ){0,3}(?:news|stories|coverage|videos?|podcasts?)\b[^.!?,]*,\s*(?:please )?(?:check out|visit|see|go to|head to|read|listen to|watch|sign up|subscribe|follow|click)\b/i, 'navigation'],
  // What an embedded player says when it cannot play: "This video is restricted from playing in your location".
  // The player speaking to the reader, not a report about a video ("This video has been blocked in Russia, the company said").
  [/^\W*(?:we are sorry,?\s*)?this (?:video|clip|content|media) (?:is|has been) (?:restricted|blocked|not available|unavailable|no longer available)\b[^,;]*$|\byour browser does not support\b|\b(?:please )?(?:enable|turn on) javascript\b/i, 'player message'],
];

/**
 * A label with which an outlet opens a note about the article itself rather than the news: an
 * editor's note, a correction, an update stamp ("UPDATE: 5/12 —", "Updated 2:55 p.m. PT:",
 * "Update (3 p.m.):"), or the "PREVIOUSLY:" line that marks where the first version resumes.
 * "Earlier, the senator said" and "Updated figures show" are not labels: a label ends in a colon
 * or a dash, or stands alone.
 */
const NOTE_LABEL = new RegExp(
  [
    // A label that says what it is, ended by a colon or a dash: "Editor's note:", "CORRECTION —".
    String.raw`^\s*(?:editor['’]?s['’]? note|note to (?:our )?readers|clarification|corrections?(?: appended)?)\s*(?::|—|–|\s-\s|\.?\s*$)`,
    // "PREVIOUSLY:", "Earlier:" standing alone or before a colon ("Earlier, the senator said" and
    // "Earlier — before the vote — …" are sentences).
    String.raw`^\s*(?:previously|earlier|original (?:story|post))\s*(?::|\.?\s*$)`,
    // An update stamp: "UPDATE:", "UPDATE —", "Updated 2:55 p.m. PT:", "Update (6 p.m.):", "UPDATE: 5/12 —", "Updated March 3:".
    // "Updated census data released Thursday — …" is a sentence.
    String.raw`^\s*update[ds]?(?:\s+(?:at\s+|on\s+)?(?:\d[\d:./]*(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{1,4}T)?|\p{Lu}\p{Ll}+\.?\s+\d{1,2}(?:,\s*\d{4})?)|\s*\([^)]{1,30}\))?\s*(?::|—|–|\s-\s)`,
  ].join('|'),
  'iu',
);

/** Notes about the article that sit inside a sentence: "This story has been updated to include …". */
const NOTES: Array<[RegExp, string]> = [
  [/\bthis (?:article|story|post|piece) (?:has been|was|have been|is being) (?:updated|revised|corrected|amended)\b/i, "editor's note"],
  [/\ban earlier version of this (?:article|story|post|piece|report)\b/i, 'correction'],
  // "This interview has been edited for length and clarity." (and nothing after it: "The transcript
  // was edited, the whistleblower alleged" reports).
  [/^\s*(?:(?:this|the) (?:interview|conversation|transcript|q&a)\b[^.,;]{0,30}\b(?:has been|have been|was|were|is)|(?:questions and answers|answers|responses|remarks) (?:have been|has been|were|are)) (?:lightly )?(?:edited|condensed)\b[^,;]*$/i, "editor's note"],
  [/^\s*(?:full text|correction appended)\.?\s*$|^\s*as published in (?:the )?\p{Lu}/iu, "editor's note"],
];

/** Whether a paragraph is the outlet's note about its article (it opens with a note's label): all of it is kept apart. */
export function isEditorsNote(paragraph: string): boolean {
  return NOTE_LABEL.test(paragraph);
}

/** Caption markers in photo-heavy outlets: "(pictured)", "(left)", "above:". */
const CAPTION = /\((?:pictured|pictured (?:left|right|above|below|centre|center)|left|right|centre|center|above|below|top|bottom|file photo|inset)\)|^(?:pictured|above|below|left|right|top|inset)\s*:|\bpictured (?:with|here|above|below|left|right|in|at|on)\b|\bis pictured\b|\bare pictured\b|\bpictured\b.*\b(?:left|right)\b/i;

/** Sentences made of domain names or links more than of words. */
function isLinkList(text: string): boolean {
  const domains = text.match(/\b[\w-]+\.(?:com|org|net|ai|io|co|uk|gov|news|info|tv)\b/gi) ?? [];
  const words = text.split(/\s+/).length;
  return domains.length >= 2 && domains.length * 3 >= words;
}

// A modal of obligation in the writer's voice. Not "a must-win state", not "the need to", and not
// an obligation foretold ("he would have to win", "they will need to"), which reports a condition.
const EXHORTATION =
  /\b(?:must(?![-‐])|should|ought to|(?<!\b(?:the|will|would|might|could|may|won't|wouldn't)\s)(?:needs? to|has to|have to)|it is time|it's time|cannot afford|can't afford|let us|let's)\b|\b(?:[Ww]e|I) (?:need|want|demand|deserve)\b/i;
// Case matters: "US" is a country, "us" a person speaking.
const FIRST_PERSON = /\b(?:[Ww]e|[Oo]ur|us|I|[Mm]y|me)\b/;
const EVALUATIVE =
  /\b(?:alarming|shocking|outrageous|disgraceful|shameful|appalling|absurd|ridiculous|reckless|disastrous|catastrophic|irresponsible|unacceptable|deplorable|sinister|nefarious|illicit|dangerous|critical challenge|irreversibly|undeniabl[ey]|clearly|obviously|sadly|unfortunately|fortunately|tragically|ironically|of course|needless to say|make no mistake|the truth is|the reality is|the fact is|one of the most)\b/gi;
const SPECULATION = /\b(?:would|could|might|may|risks?|threatens? to|appears? to|seems? to|is likely to|is poised to)\b/g;
const ATTRIBUTION =
  /\b(?:said|says|saying|told|according to|reported|reports|claimed|claims|stated|announced|warned|estimated?|estimates|confirmed|added|adding|noted|argued|argues|arguing|urged|urging|wrote|believes?|insisted|suggested|suggesting|implied|indicated|showed|shows|found|felt|ruled|responded|asserting|asserted|telling|acknowledged|acknowledges|suggests|reiterated|proposed|proposes|assertion|suggestion|speculation|asked|asking|demanded|demands|recommended|recommends)\b/i;
const IMPERATIVE_START =
  /^(?:watch|read|click|share|subscribe|follow|join|sign|download|listen|learn|find out|check out|don't|do not|never|remember|imagine|consider|let's|visit|tune in|get|support|donate|stay|see|start your|try|grab|shop|discover|explore|enjoy|catch up|register|book your|order)\b/i;

/** Words that start a command and also name a thing: "Order", "Support", "Discover" (a company). */
const NOUN_OR_VERB = new Set(['order', 'support', 'discover', 'share', 'shop', 'register', 'visit', 'watch', 'sign', 'try', 'never']);
/** What follows a noun subject and never a command's object: an auxiliary or a verb of a subject, "for", "soon", "before". */
const AFTER_SUBJECT =
  /^(?:is|are|was|were|has|have|had|will|would|can|could|may|might|soon|for|of|before|again|makes|made|remains|remained|grew|grows|rose|fell|returned|returns|came|comes|went|goes)$/u;

/** "Order soon returned", "Support for the plan is strong", "Discover makes one available": a noun, not a command. */
function nounStart(text: string): boolean {
  const [first = '', second = ''] = text.split(/\s+/);
  if (!NOUN_OR_VERB.has(first.toLowerCase())) return false;
  return AFTER_SUBJECT.test(second.replace(/[^\p{L}]/gu, ''));
}

/** The sentence with every quoted stretch blanked out: what the outlet itself says. */
function outsideQuotes(sentence: Sentence, doc: ArticleDocument): string {
  let text = sentence.text;
  for (const span of doc.quoteSpans) {
    if (span.paragraph !== sentence.paragraph) continue;
    const from = Math.max(span.open, sentence.start) - sentence.start;
    const to = Math.min(span.close + 1, sentence.end) - sentence.start;
    if (to <= 0 || from >= text.length || to <= from) continue;
    text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
  }
  return text;
}

export function classifySentence(sentence: Sentence, doc: ArticleDocument): StanceResult {
  if (sentence.heading) return { role: 'heading' };
  const text = sentence.text;
  for (const [pattern, reason] of BOILERPLATE) {
    if (pattern.test(text)) return { role: 'boilerplate', reason };
  }
  for (const [pattern, reason] of NOTES) {
    if (pattern.test(text)) return { role: 'boilerplate', reason };
  }
  if (isLinkList(text)) return { role: 'boilerplate', reason: 'link list' };
  if (CAPTION.test(text)) return { role: 'boilerplate', reason: 'caption' };
  // "Pro tip: Get more meal ideas here!": a short label in front does not hide the imperative.
  const unlabelled = text.trim().replace(/^(?:(?:pro|quick|top|bonus|editor['’]s) )?(?:tips?|note|hint|reminder|bonus|p\.?s\.?)\s*:\s+/i, '');
  if (IMPERATIVE_START.test(unlabelled) && !/["“]/.test(unlabelled.slice(0, 2)) && !nounStart(unlabelled)) return { role: 'opinion', reason: 'call to action' };

  const own = outsideQuotes(sentence, doc);
  if (!/[\p{L}]{2,}/u.test(own)) return { role: 'report' };
  const attributed = ATTRIBUTION.test(own);
  let score = 0;
  const reasons: string[] = [];
  if (EXHORTATION.test(own) && !attributed) {
    score += 2;
    reasons.push('exhortation');
  }
  if (FIRST_PERSON.test(own) && !attributed) {
    score += 1.5;
    reasons.push('first person');
  }
  const evaluative = own.match(EVALUATIVE)?.length ?? 0;
  if (evaluative > 0) {
    score += Math.min(2, evaluative);
    reasons.push('evaluative language');
  }
  const speculative = own.match(SPECULATION)?.length ?? 0;
  if (speculative > 0 && !attributed) score += Math.min(1, speculative * 0.75);
  if (/\?\s*["”']?\s*$/.test(own.trim()) && !attributed) {
    score += 1.5;
    reasons.push('rhetorical question');
  }
  if (attributed) score -= 1.5;
  if (/\d/.test(own)) score -= 0.5;
  // The closing paragraphs are where an outlet editorialises.
  const last = doc.paragraphs.length - 1;
  if (doc.paragraphs.length >= 3 && sentence.paragraph === last && score > 0) score += 0.5;
  if (score >= 2) return { role: 'opinion', reason: reasons[0] ?? 'commentary' };
  return { role: 'report' };
}

export function classifyAll(doc: ArticleDocument): StanceResult[] {
  const notes = new Set(doc.paragraphs.filter((p) => !p.heading && isEditorsNote(p.text)).map((p) => p.index));
  return doc.sentences.map((s) => (notes.has(s.paragraph) ? { role: 'boilerplate', reason: "editor's note" } : classifySentence(s, doc)));
}
