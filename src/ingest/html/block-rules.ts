import type { PageBlock } from './dom.js';

/**
 * Text rules for the blocks Readability kept: what a block's own words and shape say it is when
 * the markup did not. Each rule is a rule of web pages or of news writing (how credits, date
 * lines, bylines, calls to action and link lists are written), never of one site.
 */

export type JunkKind = 'credit' | 'gallery' | 'date' | 'byline' | 'notice' | 'links' | 'label' | 'caption' | 'repeated' | 'title' | 'standfirst';

const TERMINAL = /[.!?。！？…]["'”’»)\]]*$|["”»]$/;

/** Ends like a sentence (in any script that marks its sentences), or in a closing quotation mark. */
export function isSentenceLike(text: string): boolean {
  return TERMINAL.test(text);
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? []).length;
}

function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])["'”’)]*\s+(?=["'“‘(]?\p{Lu})/u).filter(Boolean);
}

// ---- credits and captions ----

const CREDIT_START =
  /^(?:©|\(c\)\s|copyright\b|credits?\s*(?::|\.{2,}|…)|(?:photo(?:graph)?s?|pictures?|images?|illustrations?|graphics?|videos?|fotos?|imagem|bild|source|courtesy)(?:\s+(?:credit|courtesy|copyright|caption))?\s*[:|]|image (?:copyright|caption)\b|photo illustration\b|(?:photo|image|illustration|graphic|video)s? by\b|courtesy of\b)/i;

const AGENCY = String.raw`(?:Getty(?:\s+Images)?|Reuters|AFP|AP|EPA|Shutterstock|iStock(?:photo)?|Associated Press|Alamy|PA(?:\s+Wire)?)`;

/** A credit at the end of a caption: "(Photo: Getty Images)", "(Joshua Roberts/Reuters)", "Credit: EPA", "[File: Reuters]". */
const CREDIT_END = new RegExp(
  String.raw`(?:\((?:[^()]{0,80}?\b(?:photos?|image|credit|courtesy|source|file|via|${AGENCY})\b[^()]{0,80}|[^()\s][^()]{0,60}/[^()]{1,60})\)` +
    String.raw`|\[[^\[\]]{0,80}?\b(?:photo|image|file|credit)\b[^\[\]]{0,80}\]` +
    String.raw`|(?:credits?|photo(?:graph)?|image|picture)s?\s*:\s*[^.!?:]{1,80})\s*$`,
  'i',
);

/** A caption whose credit is glued to its last sentence: "… isn't easy.Kathrin Ziegler/Getty". */
const GLUED_CREDIT = new RegExp(String.raw`[.!?]["”’]?(?:\p{Lu}[^.!?]{0,60}/[^.!?]{1,40}|(?:\p{Lu}[\p{L}.'’ -]{0,60}\s)?${AGENCY})$`, 'u');

/** A credit alone: "Alex Wong | Getty Images", "Reuters", "Photo: X, AP". */
const AGENCY_ALONE = new RegExp(String.raw`^(?:[\p{L}.'’ -]{0,60}(?:[|/,]\s*|\s))?${AGENCY}(?:\s*(?:via|/|,)\s*[\p{L} ]{1,40})?$`, 'u');

/** A caption ending in its source: "… keyboard via iFixit". */
const VIA_SOURCE = /\bvia\s+\p{L}[\p{L}\p{N}.]*(?:\s+\p{Lu}[\p{L}\p{N}.]*){0,3}$/u;

export function isCredit(text: string): boolean {
  if (text.length <= 300 && CREDIT_START.test(text)) return true;
  if (text.length <= 400 && (CREDIT_END.test(text) || GLUED_CREDIT.test(text))) return true;
  if (!isSentenceLike(text) && wordCount(text) <= 25 && VIA_SOURCE.test(text)) return true;
  return wordCount(text) <= 8 && !isSentenceLike(text) && AGENCY_ALONE.test(text);
}

/** A gallery counter: "1of4Grass Valley's …", "Image 3 of 12", "1 / 12". */
export function isGalleryCounter(text: string): boolean {
  if (/^(?:image|photo|picture|slide|foto|bild|imagem)s?\s*\d{1,3}\s*(?:of|\/|de|von|sur|di)\s*\/?\s*\d{0,3}(?!\d)/i.test(text)) return true;
  if (/^\d{1,3}\s*of\s*\d{1,3}(?=\p{Lu})/u.test(text)) return true;
  if (/^\d{1,3}\s*\/\s*\d{1,3}(?!\d)(?:\s|$)/.test(text) && !isSentenceLike(text)) return true;
  return /^\d{1,3}\s*(?:of|\/)\s*\d{1,3}$/.test(text) || /^(?:image|photo|picture|slide)\s*\d{1,3}$/i.test(text);
}

// ---- date lines ----

const DATE_TOKENS = new Set(
  (
    'jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november dec december ' +
    'mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday ' +
    'updated update published posted modified last first original originally on at am pm a.m p.m a.m. p.m. today yesterday ago ' +
    'hour hours hr hrs minute minutes min mins second seconds day days week weeks month months year years ' +
    'et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet cest ist hst akst aest jst z st nd rd th'
  ).split(' '),
);

/**
 * A line that only says when: "Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.", "Posted: Fri 6:45 PM,
 * Feb 16, 2018 |", "19.11.2019, 08:57". In a language whose date words are not listed here, a
 * short line with both a year and a clock time is one too.
 */
export function isDateLine(text: string): boolean {
  if (text.length > 160 || !/\d/.test(text)) return false;
  const tokens = text
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}.]+/u)
    .map((t) => t.replace(/^\.+|\.+$/g, ''))
    .filter(Boolean);
  const rest = tokens.filter((t) => !/^\d+(?:[.:]\d+)*$/.test(t) && !DATE_TOKENS.has(t) && !DATE_TOKENS.has(t.replace(/\.$/, '')));
  const hasYear = /\b(?:19|20)\d\d\b/.test(text);
  const hasTime = /\b\d{1,2}[:.]\d{2}\b/.test(text);
  // Numbers alone are a score, a count or a phone number, not a date.
  const saysWhen = hasYear || hasTime || /\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/.test(text) || tokens.some((t) => /\p{L}/u.test(t) && DATE_TOKENS.has(t.replace(/\.$/, '')));
  if (!saysWhen) return false;
  if (rest.length === 0) return true;
  // "Updated on: November 19, 2019 / 10:07 AM / CBS News": a date line that ends with who published it.
  if (rest.length <= 3 && (hasYear || hasTime) && DATE_TOKENS.has(tokens[0]!) && !isSentenceLike(text)) return true;
  return hasYear && hasTime && text.length <= 60 && wordCount(text) <= 10 && !isSentenceLike(text);
}

// ---- bylines ----

const BYLINE_GLUE = new Set('and on at in of de da van von der du del updated published posted a.m. p.m. am pm for staff writer reporter editor correspondent contributor via'.split(' '));

/** "By Justine Coleman - 11/18/19 11:04 PM EST", "Posted on March 30, 2015 by Admin", "Tom Krisher, AP Auto Writer" (when Tom Krisher is the byline). */
export function isBylineLine(text: string, author?: string): boolean {
  if (text.length > 200) return false;
  if (author && text.toLowerCase().startsWith(author.toLowerCase()) && wordCount(text) <= 12 && !isSentenceLike(text)) return true;
  if (!/^(?:(?:written|posted|published|updated|reporting|words|text)\b[^]{0,60}?\s)?by\s+\p{Lu}/iu.test(text)) return false;
  // Every lower-case word is one a byline uses: not "By Monday, the city had cleared the roads."
  const lower = text.split(/[\s,|·•/–—-]+/).filter((w) => /^\p{Ll}/u.test(w));
  return lower.every((w) => w === 'by' || BYLINE_GLUE.has(w) || DATE_TOKENS.has(w.replace(/[.,;:]+$/, '')));
}

/** "Dallas Robinson is a freelance writer living in Minneapolis": the author's own note, after the article. */
export function isAuthorNote(text: string, author?: string): boolean {
  if (!author || text.length > 500) return false;
  const names = author.split(/,\s*|\s+and\s+/);
  return names.some((name) => text.startsWith(name + ' ') && /^(?:is|was|has|covers|writes|reports|joined|lives|spends)\b/.test(text.slice(name.length + 1)));
}

/** News writing's credit lines: "(Reporting by X; editing by Y)", "Additional reporting by X", "Jane Doe contributed to this report." */
export function isReportingCredit(text: string): boolean {
  if (text.length > 300) return false;
  return /^\(?(?:additional |with )?(?:reporting|writing|editing|research|compiled|produced) by\b/i.test(text) || /\bcontributed (?:reporting )?to this (?:report|story|article)\.?\)?$/i.test(text);
}

// ---- notices and calls to action ----

/**
 * The opening of a call to action, the grammar of notices: an imperative aimed at the reader
 * ("Sign up for …", "Follow us on …", "Click here", "Get the app") or a question put to the
 * reader ("Have a tip?").
 */
const CTA_OPENING =
  /^(?:please\s+)?(?:subscribe|sign\s*up|sign\s*in|log\s*in|register|follow|join|download|listen|watch|click|tap|share|like us|e-?mail|contact|write to|reach|tell us|support|become|donate|check\s+out|(?:don['’]t|never)\s+miss|get\s+(?:the|our|access|breaking|free|unlimited|more|the latest|alerts|updates)|read\s+(?:more|the full|our|the latest)|see\s+(?:more|also|our|the full)|visit|find\s+(?:out more|us)|stay\s+(?:informed|up to date|up-to-date|connected|tuned|on top)|want\s+(?:more|to)|enjoy(?:ed)?|start your|try|learn more|shop|have a (?:news )?tip|got a (?:news )?tip|know something|sign up|welcome to)\b/i;

/** Where a call to action sends the reader. */
const CHANNEL =
  /\b(?:newsletters?|inbox|e-?mails?|twitter|facebook|instagram|youtube|linkedin|tiktok|pinterest|whatsapp|telegram|snapchat|podcasts?|apps?|app store|google play|itunes|spotify|subscri\w*|forums?|rss|alerts?|notifications?|updates|comments?|channel|follow(?:ers)?|here|below|link|website|members?|membership|free trial|sign\s*up|reach(?:ed)?|tip)\b|@\w|https?:\/\/|\bwww\./i;

/** Disclosures about money: affiliate links, commissions, sponsored content. */
const DISCLOSURE = /\b(?:affiliate|referral)\s+(?:links?|commissions?|partners?|programs?)\b|\bmay (?:earn|receive|get) (?:a |an )?(?:small )?(?:affiliate )?commission\b|\b(?:sponsored|paid) (?:post|content|partnership)\b|\bcontains? affiliate\b/i;

export function isNotice(text: string): boolean {
  if (text.length > 700) return false;
  if (DISCLOSURE.test(text) && text.length <= 400) return true;
  if (/\bclick here\b/i.test(text) && text.length <= 300) return true;
  // The calls to action are the point of the block: at least half of its sentences.
  const sentences = sentencesOf(text);
  const calls = sentences.filter((s, i) => CTA_OPENING.test(s) && (CHANNEL.test(s) || CHANNEL.test(sentences[i + 1] ?? ''))).length;
  return calls > 0 && calls * 2 >= sentences.length;
}

/** A line that is a link with a label, not a sentence: "Read more: …", "Related: …", "SEE MORE: …". */
const LINK_LABEL = /^(?:read more|related(?:\s+\w+){0,3}|see (?:more|also)|more(?:\s+\w+){0,3}|also read|also see|read also|read next|recommended|watch|listen|trending|popular|latest|don['’]?t miss|must read|you (?:may|might) also like|further reading)\s*:/i;

export function isLinkLine(block: PageBlock): boolean {
  const { text } = block;
  const density = block.linkChars / Math.max(1, text.length);
  if (LINK_LABEL.test(text) && (density >= 0.3 || !isSentenceLike(text) || text.length < 160)) return true;
  // Mostly link text and not a sentence: a teaser, a related headline, a menu item.
  if (density >= 0.7 && !isSentenceLike(text)) return true;
  // A list item that is a link: related stories, tags, menus.
  if (block.listItem && density >= 0.6 && !isSentenceLike(text) && wordCount(text) <= 30) return true;
  // Web addresses with a label or two ("Listen: http://… Download: http://…") and nothing else to read.
  const words = text.split(/\s+/);
  const addresses = words.filter((w) => /^(?:https?:\/\/|www\.)/i.test(w)).length;
  return addresses > 0 && words.length - addresses <= 4;
}

/** Page furniture in a few words: a label, a counter, a name without a sentence. Only trusted at the edges of the body. */
export function isFragment(block: PageBlock): boolean {
  // A line opening with a dash attributes the quotation or post before it: "— Jane Doe (@jdoe) May 1, 2019".
  return !isSentenceLike(block.text) && wordCount(block.text) <= 6 && !/^[—–-]\s*\p{L}/u.test(block.text);
}

/** Furniture a reader would never call prose, wherever it sits. */
export function junkOf(block: PageBlock, author?: string): JunkKind | undefined {
  const { text } = block;
  if (isGalleryCounter(text)) return 'gallery';
  if (isCredit(text)) return 'credit';
  if (isBylineLine(text, author) || isAuthorNote(text, author) || isReportingCredit(text)) return 'byline';
  if (isDateLine(text)) return 'date';
  if (!/[\p{L}\p{N}]/u.test(text)) return 'label';
  if (isNotice(text)) return 'notice';
  if (isLinkLine(block)) return 'links';
  return undefined;
}
