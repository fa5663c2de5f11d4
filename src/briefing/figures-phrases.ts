/**
 * The number phrases of a sentence, read the way English news writes them: a currency, a number
 * (digits or words), a scale ("million", "bn"), a range ("252 to 287", "between 10 and 12",
 * "from $75 to $45.88"), a percent or a unit written after the number ("275 pound-feet", "3000 rpm",
 * "64GB", "93 year-old"), a rate ("per barrel", "a day"), and the words in front that hedge it
 * ("about", "more than", "up to") or make it a change ("up 19 cents", "fell 0.9%").
 *
 * Numbers that are not quantities are left out: years, dates, times of day, ordinals, decades,
 * phone numbers, versions, model and product names ("Boeing 737", "iPhone 14", "S&P 500"),
 * list and shirt numbers, addresses, sports scores and ages given in apposition ("Smith, 65,").
 *
 * Every regular expression is compiled once; sticky ones (`y`) read at a position.
 */

export type FigureKind = 'money' | 'percent' | 'measure' | 'count' | 'fraction';

export interface NumberPhrase {
  /** Offsets of the value as written, inside the sentence. */
  start: number;
  end: number;
  /** Where the words after the figure start (after a currency word or a rate: "2.4 billion euro| expansion"). */
  tail: number;
  /** The upper end of a range. */
  high?: number;
  /** The phrase as written: "$800 million", "252 to 287 miles", "0.65 per cent", "37 of 64". */
  value: string;
  quantity: number;
  kind: FigureKind;
  /** "%", the currency ("$", "US$", "euro", "Chinese yuan"), the unit as written ("miles", "GB"), or "fraction". */
  unit?: string;
  /** Hedges written in front of it: "more than", "about", "up to", "hundreds". */
  hedges: string[];
  change?: 'up' | 'down';
  /** Written with the form of an amount (decimals, thousands separators, a scale, a hedge, a range). */
  amountShaped: boolean;
  /** Spelled out ("six", "four thousand"). */
  spelled: boolean;
  /** Two numbers joined by a dash ("15-22"): a range only when it has a unit or counts something. */
  dashed?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Words

const SMALL: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = {
  hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, mn: 1e6, tn: 1e12, crore: 1e7, lakh: 1e5,
  k: 1e3, m: 1e6, b: 1e9, dozen: 12,
};
/** Plural scales stand for an order of magnitude: "hundreds of", "thousands of". */
const VAGUE: Record<string, number> = { dozens: 12, tens: 10, hundreds: 100, thousands: 1e3, millions: 1e6, billions: 1e9 };
const FRACTIONS: Record<string, number> = {
  half: 0.5, 'one-half': 0.5, 'a third': 1 / 3, 'one-third': 1 / 3, 'two-thirds': 2 / 3, 'a quarter': 0.25, 'one-quarter': 0.25,
  'three-quarters': 0.75, 'a fifth': 0.2, 'one-fifth': 0.2,
};
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;

const WORD_NUMBER = String.raw`(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)`;

/**
 * Where a number may start: a digit, or a number word in lower case or capitalised. Case-sensitive
 * on purpose: this scan runs over every sentence, and a case-insensitive alternation is twice as slow.
 */
const CANDIDATE =
  /(\d|\.\d)|\b((?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|[Tt]hirteen|[Ff]ourteen|[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen|[Nn]ineteen|[Aa]n? (?=(?:hundred|thousand|million|billion|trillion|dozen|third|quarter|fifth)\b)|[Dd]ozens|[Tt]ens|[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions|[Hh]alf|[Oo]ne-half|[Oo]ne-third|[Tt]wo-thirds|[Tt]hree-quarters|[Oo]ne-quarter|[Oo]ne-fifth)\b/g;
const DIGITS_Y = /\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?|\.\d+/y;
/** A run of number words: "twenty-eight thousand six hundred forty-two", "a million", "four thousand". */
const WORDS_Y = new RegExp(
  String.raw`(?:${WORD_NUMBER}|an?)(?:[\s-](?:and\s)?(?:${WORD_NUMBER}|hundred|thousand|million|billion|trillion|dozen))*\b`,
  'iy',
);
const FRACTION_Y = /(?:two-thirds|one-third|three-quarters|one-quarter|one-fifth|one-half|a third|a quarter|a fifth|half)\b/iy;

// ---------------------------------------------------------------------------------------------
// Around a number

const SCALE_Y = /\s?(thousand|million|billion|trillion|crore|lakh|hundred)\b|\s?(bn|mn|tn)\b|(k|K|M|B|m|b)(?![\p{L}\p{N}])/uy;
const PERCENT_Y = /\s?(?:%|per\s?cent\b|percent\b|pct\b|pc\b)/iy;
const CURRENCY_SYMBOL_AFTER_Y = /[€£$]/y;
const CURRENCY_CODE = String.raw`(?:USD|EUR|GBP|JPY|AUD|CAD|INR|CNY|CHF|HKD|NZD|SGD|RMB|ZAR|SEK|NOK|DKK|KRW|BRL|MXN|RUB|TRY|ILS|AED|SAR)`;
const CURRENCY_CODE_AFTER_Y = new RegExp(String.raw`\s?(${CURRENCY_CODE})\b`, 'y');
const CURRENCY_WORD_AFTER_Y =
  /\s(?:(US|U\.S\.|American|Australian|Canadian|Hong Kong|New Zealand|Singapore|Taiwan|Chinese|Japanese|Indian|Danish|Swedish|Norwegian|Swiss|Mexican|South African|Brazilian|Russian|Turkish|Israeli)\s)?(dollars?|euros?|pounds sterling|yen|yuan|renminbi|shekels?|crowns?|kron(?:er|or|a|e)|rupees?|francs?|pesos?|roubles?|rubles?|rand|reais|lira|dinars?|dirhams?|riyals?|ringgit|baht|naira|zlotys?|cents?|pence)\b/iy;
/** A currency written before the number: "$", "US$", "US $", "C $", "£", "€", "USD", "Rs.". */
const CURRENCY_BEFORE = new RegExp(String.raw`(?:(?:\b(?:US|U\.S\.|A|AU|C|CA|NZ|HK|S|R|NT)\s?)?[$£€¥₹₪₩]|\b${CURRENCY_CODE}|\bRs\.?)\s?$`);

/** Units written after the number, glued ("64GB", "155mph", "37m") or spaced ("275 pound-feet"). */
const UNIT_WORDS = [
  // Compounds first, so that "pound-feet" is not read as "pound".
  'pound[- ]feet', 'lb[- ]ft', 'foot[- ]pounds', String.raw`newton[- ]met(?:er|re)s?`, String.raw`(?:kilo|mega|giga)watt[- ]hours?`, 'light[- ]years?',
  String.raw`square (?:feet|foot|met(?:er|re)s?|miles?|kilomet(?:er|re)s?|km|ft|yards?|inch(?:es)?)`, String.raw`sq\.? ?(?:m|ft|km|feet|met(?:er|re)s?|miles?)`,
  String.raw`cubic (?:feet|foot|met(?:er|re)s?|yards?)`, String.raw`cu\.? ?ft\.?`, String.raw`parts per (?:million|billion)`, 'basis points?', 'percentage points?', String.raw`m\.p\.h\.?`, 'km/h',
  String.raw`degrees?(?: (?:Celsius|Fahrenheit|centigrade|C|F)\b)?`, 'Celsius', 'Fahrenheit', 'centigrade',
  String.raw`(?:kilo|centi|milli|micro|nano)?met(?:er|re)s?`, 'km', 'cm', 'mm', 'μm', 'nm', 'miles?', 'feet', 'foot', 'ft', 'inch(?:es)?', 'yards?', 'yd',
  String.raw`(?:kilo|milli|micro)?grams?`, 'kg', 'mg', 'μg', 'lbs?', 'pounds?', 'ounces?', 'oz', 'tons?', 'tonnes?',
  String.raw`(?:milli|centi)?lit(?:er|re)s?`, 'ml', 'cl', 'gallons?', 'barrels?', 'bbl', 'pints?', 'quarts?', 'drams?', 'cups?', 'teaspoons?', 'tablespoons?',
  'acres?', 'hectares?', 'sqm', 'sqft', 'm2', 'km2',
  'mph', 'kph', 'kmh', 'knots?', 'kt', 'mpg', 'rpm', 'bhp', 'hp', 'horsepower',
  String.raw`(?:kilo|mega|giga|tera)?watts?`, '[kMGT]?Wh', '[kMGT]?W', 'volts?', 'kV', 'amps?', 'mAh',
  '[kKmMgG]?[hH][zZ]', 'hertz', 'Nm',
  '[KMGTP]B', '(?:giga|tera|mega|kilo)bytes?', '[kMG]bps', 'megapixels?', 'MP',
  '°[CF]?', 'decibels?', 'dB', 'ppm', 'ppb', 'psi', 'ksi', '[kMG]?Pa', 'calories', 'kcal', 'joules?', 'BTU',
  'milliseconds?', 'seconds?', 'secs?', 'minutes?', 'mins?', 'hours?', 'hrs?', 'days?', 'weeks?', 'months?', 'years?', 'yrs?', 'decades?', 'centuries', 'century', 'nights?',
  'points?', 'pts', 'times', 'fold', 'carats?', 'karats?', 'calibre', 'caliber', 'gauge',
];
const UNIT_ALTERNATION = UNIT_WORDS.join('|');
/** Letters glued to a number that are a unit of their own (only glued: "37m", "500g", "1.0l", "118.5p", "10x", "″"). */
const GLUED_ONLY = String.raw`ms|m|g|l|L|W|V|p|x|h|″`;
const AGE = String.raw`(?:year|month|week|day)s?[- ]old\b`;
// A unit ends its word: "seven second-innings wickets" has no seconds; "barrel-a-day" goes on as a rate.
const UNIT_END = String.raw`(?![\p{L}\p{N}])(?!-(?!(?:a|an|per)-)\p{L})`;
const UNIT_GLUED_Y = new RegExp(String.raw`-?(${AGE}|(?:${UNIT_ALTERNATION})|${GLUED_ONLY})${UNIT_END}`, 'uy');
// Case matters after a space: "80 Day Obsession" is a title, "80 days" a duration.
const UNIT_SPACED_Y = new RegExp(String.raw`[\s-](${AGE}|(?:${UNIT_ALTERNATION}))${UNIT_END}`, 'uy');
/** A rate after a unit or an amount: "per barrel", "a day", "a-year", "/h". */
const RATE_Y =
  /(?:[\s-](?:per|a|an|each|every)[\s-]|\s?\/\s?)(?:unit|day|week|month|year|hour|minute|second|share|barrel|gallon|head|person|capita|century|decade|kilogram|kg|pound|tonne|ton|litre|liter|mile|night|game|match|sq\.? ?m|sq\.? ?ft|square (?:foot|metre|meter)|week|annum|serving|dose|season|quarter)\b/iy;
/** Rate words in a spaced unit's place after a bare count: "20 per week", "300 a day". */
const RANGE_Y = /\s?(?:-|–|—|to|and|through)\s?/y;
const OF_TOTAL_Y = /\s+of\s+(?:the\s+)?(\d{1,3}(?:,\d{3})+|\d+|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)(?![\p{L}-]))(?![\d.,]\d)/iuy;

const ORDINAL_Y = /(?:st|nd|rd|th)\b/iy;
/** A word hyphened to the number: "an 8,000-word article", "a 12-page report", "30-odd", "50-plus". */
const HYPHEN_WORD_Y = /-([a-z]{2,})(?![\p{L}\p{N}-])/uy;
const NOT_A_HYPHEN_UNIT = new Set(['the', 'and', 'for', 'of', 'to', 'in', 'on', 'at', 'by', 'or', 'an', 'with', 'from', 'something', 'somethings', 'ish', 'year', 'years']);
const DECADE_Y = /'?s\b/y;
const TIME_AFTER_Y = /\s?(?:[ap]\.m\.|[ap]m\b|GMT\b|BST\b|[ECMP][SD]T\b|UTC\b|ET\b|PT\b|CET\b|IST\b|JST\b|o'clock\b)/iy;
const MONTH_AFTER_Y = new RegExp(String.raw`\s(?:of\s)?${MONTH}\b`, 'iy');
const MONTH_BEFORE = new RegExp(String.raw`\b${MONTH}\.?\s$`, 'i');
/** "Stoxx 600", "Game 2", "category 4", "No. 9", "iPhone 14": a name or a label with a number. */
const LABEL_BEFORE =
  /\b(?:no|nos|number|numbers|section|article|chapter|page|pages|pp|route|flight|room|line|version|vol|volume|part|step|phase|stage|level|grade|category|type|class|tier|round|game|episode|season|unit|apartment|apt|suite|floor|gate|platform|terminal|district|ward|precinct|zone|lot|item|exhibit|figure|fig|table|model|mark|mk|size|row|seat|channel|highway|interstate|box|code|rank|ranked|seed|seeded|jersey|shirt|bib|generation|gen|formula|act|scene|verse|psalm|rule|amendment|proposition|prop|pier|hole|lap|heat|division|tranche|cohort|batch|wave|bed|bay|hall|dose|zip|week|day|matchday|gameweek|vs|v)\.?\s*#?\s?$/i;
const PREV_WORD = /([\p{L}][\p{L}\p{N}&.'’-]*)\s+$/u;
/** Words that, in front of a year-shaped number, make it a year. */
const YEAR_CUE = /(?:\b(?:in|since|by|from|between|until|till|through|of|during|before|after|and|to|circa|c\.|ad|a\.d\.|bc|year|years|early|late|mid|the|spring|summer|autumn|fall|winter|season|class|vintage|fiscal|fy|end|start|beginning|around|this|last|next)|\p{L}['’]s?)\s*-?$/iu;
const YEAR_SHAPE = /^\d{4}$/;
/** Plural nouns a year names rather than counts: "the 2016 elections", "below 2019 levels". */
const YEAR_NAMED = new Set(['elections', 'primaries', 'caucuses', 'midterms', 'olympics', 'playoffs', 'championships', 'accords', 'levels', 'estimates', 'floods', 'wildfires', 'hearings']);
/** "one in 23 people", "six in 10 voters", "1 in 5": a ratio. */
const ONE_IN_BEFORE = new RegExp(String.raw`\b(${WORD_NUMBER}|an?|\d{1,3})\s+in\s+(?:every\s+)?$`, 'i');
/** A number that names a service, not a quantity: "911 calls", "a 999 call". */
const SERVICE_NUMBER_Y = /\s(?:calls?|callers?|dispatchers?|operators?|emergency|line|hotline|number)\b/y;
/** "men aged 18 to 34", "ages 5 and up": ages that name a group, not figures of the story. */
const AGE_CUE =
  /\b(?:aged|ages|age of|between the ages of|under the age of|over the age of)\s+(?:between\s+|from\s+)?(?:[a-z\d]+\s*(?:to|and|-|–)\s*)?$|\b(?:people|voters|men|women|adults|children|kids|those|anyone|residents|workers|patients|users|drivers|americans|britons|respondents)\s+(?:under|over|below|above|older than|younger than)\s+$/i;

/**
 * Hedges in front of a figure: "more than" and "less than" by meaning, a floor or a ceiling as
 * "at least" and "at most" (20 is "at least 20", not "more than 20"), the others as written
 * ("about", "as many as").
 */
const DURATION = /^(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|decades?|centuries|century|nights?)$/i;
const HEDGE_BEFORE: Array<[RegExp, string]> = [
  [/\b(?:at least|a minimum of|no fewer than|no less than)\s*$/i, 'at least'],
  [/\b(?:at most|a maximum of|no more than)\s*$/i, 'at most'],
  [/\b(?:more than|over|upwards? of|in excess of|well over|just over|above)\s*$/i, 'more than'],
  [/\b(?:less than|fewer than|under|just under|below)\s*$/i, 'less than'],
  [/\b(?:about|around|roughly|approximately|some|circa|nearly|almost|close to|an estimated|estimated|up to|as many as|as much as|as high as|as few as)\s*$/i, ''],
];
/** The hedge written just before a figure ("more than", "about", "at least"), with the words that say it. */
function hedgeBefore(before: string): { words: string; label: string } | undefined {
  for (const [pattern, label] of HEDGE_BEFORE) {
    const h = pattern.exec(before);
    if (h) return { words: h[0], label: label || h[0].trim().toLowerCase() };
  }
  return undefined;
}

/** A change written in front: "up 19 cents", "rose 0.65 per cent", "fell by 0.9%". "rose to" gives a level, not a change. */
const CHANGE_BEFORE =
  /\b(up|down|rose|rise|rises|risen|rising|fell|fall|falls|fallen|falling|gained|gains|gaining|gain|lost|loses|losing|dropped|drops|dropping|declined|declines|declining|slid|slides|sliding|slipped|slips|climbed|climbs|climbing|jumped|jumps|jumping|surged|surges|surging|soared|soars|plunged|plunges|plummeted|plummeting|tumbled|tumbles|sank|sinks|increased|increases|increasing|increase|decreased|decreases|decreasing|decrease|grew|grows|growing|shrank|shrinks|advanced|advances|advancing|eased|eases|easing|added|adding|adds|shed|sheds|shedding|dipped|dips|rallied|rallies|slumped|slumps|retreated|edged up|edged down|edged higher|edged lower|widened|narrowed|improved|boosted|raised|lowered|cut|cuts|reduced|trimmed|shaved|rebounded|recovered|spiked|spikes|tanked|crashed|gaining|sagged|skidded)(?:\s+(?:by|a further|another|an additional|an extra))?\s+(?:(?:about|around|roughly|nearly|almost|more than|over|some|just|only|less than|under|approximately|a further|another)\s+)?$/i;
const DOWN_WORDS = /^(?:down|fell|fall|falls|fallen|falling|lost|loses|losing|dropped|drops|dropping|declined|declines|declining|slid|slides|sliding|slipped|slips|sank|sinks|decreased|decreases|decreasing|decrease|shrank|shrinks|eased|eases|easing|shed|sheds|shedding|dipped|dips|slumped|slumps|retreated|edged down|edged lower|narrowed|lowered|cut|cuts|reduced|trimmed|shaved|plunged|plunges|plummeted|plummeting|tumbled|tumbles|tanked|crashed|sagged|skidded)$/i;
const CHANGE_AFTER_Y = /\s(lower|higher)(?=\s*(?:$|[,.;:)]|than|on|at|in|to|after|for|from|by|as|and)\b|\s*[,.;:)]|\s*$)/iy;
const FROM_OR_BETWEEN_BEFORE = /\b(from|between)\s$/i;
const NEGATIVE_BEFORE = /(?:^|[\s(:])[-−]$|\bminus[-\s]$/i;
/** A sports score or a vote ("2-2 on aggregate", "a 9-2 lead", "won 3-1"). */
const SCORE_AFTER_Y = /\s(?:win|wins|victory|lead|leads|loss|losses|defeat|draw|tie|vote|votes|decision|scoreline|result|record|on aggregate|at half-?time|in the final|after extra time|on penalties)\b/iy;
const SCORE_BEFORE = /\b(?:won|win|wins|beat|beats|lost|lose|loses|drew|draw|trailed|trailing|led|leading|defeated|edged|thrashed|routed|tied|ended|voted|vote|votes|ruled|split|passed|approved|rejected)\s+$/i;
/** A figure glued to page furniture: "1of4" gallery counters. */
const GLUED_OF_Y = /of\d/y;
/**
 * Phone numbers, timestamps, clock times, ISO and numeric dates, scientific notation and written
 * fractions: blanked before reading numbers. Every alternative starts at a digit, "+" or "(", so the
 * scan is cheap; web addresses are blanked only in sentences that have one.
 */
const NOT_FIGURES =
  /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s?(?:[aApP]\.?[mM]\b\.?|GMT|UTC|ET|PT|[ECMP][SD]T)|\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\b|\b\d{1,2}([/.-])\d{1,2}\1\d{2,4}\b|\b\d+(?:\.\d+)?\s?[×x]\s?\d+(?:\.\d+)?(?:\s?[×x]\s?\d+(?:\.\d+)?)?(?:[−-]\d+)?\b|\b\d\.\d\s(?=surround|channel)|\b\d+[⁄/]\d+\b/g;
const WEB_ADDRESS = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;

// ---------------------------------------------------------------------------------------------

function parseDigits(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** The value of a run of number words: "twenty-eight thousand six hundred forty-two" → 28642. */
export function parseWords(text: string): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const raw of text.toLowerCase().split(/[\s-]+/)) {
    if (raw === 'and') continue;
    if (raw === 'a' || raw === 'an') {
      current = 1;
      continue;
    }
    const small = SMALL[raw] ?? TENS[raw];
    if (small !== undefined) {
      current += small;
      seen = true;
      continue;
    }
    const scale = SCALES[raw];
    if (scale === undefined) return undefined;
    seen = true;
    if (scale === 100 || scale === 12) current = (current || 1) * scale;
    else {
      total += (current || 1) * scale;
      current = 0;
    }
  }
  return seen ? total + current : undefined;
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /\p{L}/u.test(ch);
}
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}
function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word) || /^[a-z]+\p{Lu}/u.test(word);
}

/** Words that open a sentence in capitals without being names ("About 300", "Nearly half"). */
const SENTENCE_OPENERS = new Set([
  'about', 'around', 'some', 'nearly', 'almost', 'over', 'under', 'only', 'just', 'more', 'fewer', 'less', 'roughly',
  'approximately', 'at', 'in', 'of', 'to', 'by', 'for', 'with', 'from', 'between', 'and', 'or', 'but', 'the', 'a', 'an',
  'all', 'another', 'every', 'each', 'up', 'down', 'exactly', 'here', 'there', 'another', 'since', 'after', 'before',
  'another', 'with', 'than', 'still', 'even', 'by', 'another', 'as', 'an', 'estimated', 'total', 'while', 'when', 'if',
  'then', 'now', 'today', 'yesterday', 'last', 'this', 'that', 'these', 'those', 'its', 'their', 'his', 'her', 'our',
  'roughly', 'perhaps', 'well', 'also', 'once', 'almost', 'nearly', 'another', 'minus', 'plus', 'some', 'barely',
]);

interface Unit {
  kind: 'percent' | 'currency' | 'measure';
  unit: string;
  end: number;
  /** A currency word ("yuan", "Australian dollars") is the unit of the value, not part of how it is written. */
  word: boolean;
}

/** One spelling per unit: "m.p.h." is "mph", "sq m" is "sqm", "liter" is "litre", "″" is "inch". */
function canonicalUnit(unit: string): string {
  if (unit === '″') return 'inch';
  if (/^(?:cu\.?\s?ft\.?|cubic f(?:ee|oo)t)$/i.test(unit)) return 'cubic feet';
  const square = /^(?:sq\.?\s?|square\s)(m|met(?:er|re)s?|ft|feet|foot|km|kilomet(?:er|re)s?|miles?)$|^(m|km)2$/i.exec(unit);
  if (square) {
    const base = (square[1] ?? square[2] ?? '').toLowerCase();
    return /^(?:ft|feet|foot)$/.test(base) ? 'square feet' : /^mi/.test(base) ? 'square miles' : /^k/.test(base) ? 'square kilometres' : 'square metres';
  }
  const compact = /^[a-z]{1,3}(?:\.\s?[a-z]{1,3})+\.?$|^sq\.?\s[a-z]{1,2}$/i.test(unit) ? unit.replace(/[.\s]/g, '') : unit;
  return compact.replace(/^-/, '').replace(/(met|lit)ers?\b/i, (_m, stem: string) => `${stem}re${/s$/i.test(_m) ? 's' : ''}`);
}

/** A percent, a currency or a unit written at `at`. */
function unitAt(text: string, at: number, hasCurrency: boolean): Unit | undefined {
  PERCENT_Y.lastIndex = at;
  let m = PERCENT_Y.exec(text);
  if (m) return { kind: 'percent', unit: '%', end: at + m[0].length, word: false };
  if (!hasCurrency) {
    CURRENCY_SYMBOL_AFTER_Y.lastIndex = at;
    m = CURRENCY_SYMBOL_AFTER_Y.exec(text);
    if (m) return { kind: 'currency', unit: m[0], end: at + m[0].length, word: false };
    CURRENCY_CODE_AFTER_Y.lastIndex = at;
    m = CURRENCY_CODE_AFTER_Y.exec(text);
    if (m) return { kind: 'currency', unit: m[1]!, end: at + m[0].length, word: true };
    CURRENCY_WORD_AFTER_Y.lastIndex = at;
    m = CURRENCY_WORD_AFTER_Y.exec(text);
    if (m) {
      const word = m[2]!.toLowerCase();
      const singular = word === 'pence' ? 'pence' : word === 'pounds sterling' ? 'pound sterling' : word.replace(/(?<!s)s$/, '');
      return { kind: 'currency', unit: m[1] ? `${m[1]} ${singular}` : singular, end: at + m[0].length, word: true };
    }
  }
  const glued = !/\s/.test(text[at] ?? ' ');
  const unitRe = glued ? UNIT_GLUED_Y : UNIT_SPACED_Y;
  unitRe.lastIndex = at;
  m = unitRe.exec(text);
  if (m) return { kind: 'measure', unit: canonicalUnit(m[1]!), end: at + m[0].length, word: false };
  return undefined;
}

interface Core {
  start: number;
  /** Offset of the first digit or number word. */
  digits: number;
  end: number;
  raw: string;
  quantity: number;
  /** The multiplier of a scale written after the number ("million": 1e6), else 1. */
  scale: number;
  currency?: string;
  shaped: boolean;
  spelled: boolean;
  negative?: 'sign' | 'word';
  /** "sub-300": less than. */
  sub: boolean;
}

/** A number written in digits at `at`, with a currency in front and a scale after. */
function readDigitCore(text: string, at: number, secondOfRange = false): Core | undefined {
  const before = text.slice(Math.max(0, at - 24), at);
  let start = at;
  let currency: string | undefined;
  const cur = CURRENCY_BEFORE.exec(before);
  if (cur) {
    currency = cur[0].replace(/\s+/g, '').replace(/^U\.S\./, 'US');
    start = at - cur[0].length;
  }
  const prev = text[at - 1];
  let negative: Core['negative'];
  let sub = false;
  if (!currency && !secondOfRange) {
    // "S23", "A2 Milk", "G7": a number glued to letters is part of a name.
    if (isLetter(prev)) return undefined;
    if (prev === '-' || prev === '−') {
      if (/\bminus[-\s]$/i.test(before)) {
        negative = 'word';
        start = at - 6;
      } else if (/\bsub-$/i.test(before)) sub = true;
      else if (NEGATIVE_BEFORE.test(before)) {
        negative = 'sign';
        start = at - 1;
      } else return undefined; // "TA-35", "COVID-19", "now-18"
    } else if (/\bminus\s$/i.test(before)) {
      negative = 'word';
      start = at - 6;
    }
    if (prev === '#' || prev === '/' || prev === '⁄' || prev === '_' || isDigit(prev) || (prev === '.' && (isLetter(text[at - 2]) || isDigit(text[at - 2])))) return undefined;
  }
  DIGITS_Y.lastIndex = at;
  const d = DIGITS_Y.exec(text);
  if (!d) return undefined;
  const raw = d[0];
  let end = at + raw.length;
  let quantity = parseDigits(raw);
  let scale = 1;
  SCALE_Y.lastIndex = end;
  const s = SCALE_Y.exec(text);
  if (s) {
    const word = (s[1] ?? s[2] ?? s[3] ?? '').toLowerCase();
    const letter = s[3];
    // A lone "m" or "b" is a scale after a currency ("£1m"); otherwise "37m" is metres. "k", "M"
    // and "B" glued to a number are scales; "hundred" needs a spelled-out or small number before it.
    // "4K", "8K", "5K": one digit and a "K" is a resolution or a race; "20k runners" is thousands.
    const isScale =
      letter === undefined ? word !== 'hundred' || quantity < 100 : currency !== undefined || ((letter === 'k' || letter === 'K') && raw.length > 1) || letter === 'M' || letter === 'B';
    if (isScale && SCALES[word] !== undefined) {
      scale = SCALES[word]!;
      end += s[0].length;
    }
  }
  quantity *= scale;
  if (negative) quantity = -quantity;
  const core: Core = { start, digits: at, end, raw, quantity, scale, shaped: scale > 1 || raw.includes(',') || raw.includes('.'), spelled: false, sub };
  if (currency) core.currency = currency;
  if (negative) core.negative = negative;
  return core;
}

/** Number words at `at`: "four thousand", "a million", "six", "hundreds of", "tens of thousands of". */
function readWordCore(text: string, at: number, word: string): Core | undefined {
  const lower = word.toLowerCase();
  const vague = VAGUE[lower];
  if (vague !== undefined) {
    const after = /^\s+of\s+(?:(thousands|millions|billions)\b)?/i.exec(text.slice(at + word.length, at + word.length + 30));
    if (!after) return undefined;
    const times = after[1] ? VAGUE[after[1].toLowerCase()]! : 1;
    const end = at + word.length + (after[1] ? after[0].length : 0);
    return { start: at, digits: at, end, raw: text.slice(at, end), quantity: vague * times, scale: times, shaped: true, spelled: true, sub: false };
  }
  WORDS_Y.lastIndex = at;
  const m = WORDS_Y.exec(text);
  if (!m) return undefined;
  // "and" joins number words only after a scale ("one hundred and five"); "five- and six-cylinder"
  // is two numbers.
  const phrase = m[0].replace(/(?<!hundred|thousand|million|billion)[\s-]+and\b.*$/i, '').replace(/[\s-]+and$/i, '').trim();
  const parts = phrase.toLowerCase().split(/[\s-]+/);
  let hasScale = false;
  for (const p of parts) if (SCALES[p] !== undefined) hasScale = true;
  // "a"/"an" only with a scale ("a million"); "one" only with a scale ("one billion").
  if ((parts[0] === 'a' || parts[0] === 'an') && (!hasScale || parts.length < 2)) return undefined;
  if (parts.length === 1 && parts[0] === 'one') return undefined;
  const value = parseWords(phrase);
  if (value === undefined) return undefined;
  const lastScale = SCALES[parts[parts.length - 1]!];
  return { start: at, digits: at, end: at + phrase.length, raw: phrase, quantity: value, scale: lastScale ?? 1, shaped: hasScale, spelled: true, sub: false };
}

/** Whether a bare four-digit number is a year ("in 2019", "2014-15", "between 1600 and 1900"). */
function isYear(text: string, core: Core, unit: Unit | undefined): boolean {
  if (!YEAR_SHAPE.test(core.raw) || core.currency || core.scale > 1 || unit) return false;
  const v = core.quantity;
  if (v < 1000 || v > 2100) return false;
  const before = text.slice(Math.max(0, core.start - 16), core.start);
  if (YEAR_CUE.test(before)) return true;
  if (v < 1800) return false;
  // "2000 people", "1500 jobs": a count of a plural noun; but "the 2016 elections" and "2012
  // levels" are events and measures named by their year.
  const next = /^\s([a-z][a-z-]*)/.exec(text.slice(core.end, core.end + 30))?.[1] ?? '';
  if (YEAR_NAMED.has(next)) return true;
  return !(/[a-z]s$/.test(next) && !/(?:ss|us|is)$/.test(next) && !['its', 'was', 'has', 'this', 'is'].includes(next));
}

/**
 * A number that follows a name or a label is part of it: "Stoxx 600", "Boeing 737", "iPhone 14",
 * "Game 2", "category 4". A number followed by a capitalised name with no plural noun after it is a
 * model or an address: "787 Dreamliner", "11 Pro Max", "16-18 Industrial Avenue".
 */
function isPartOfName(text: string, core: Core, before: string): boolean {
  if (LABEL_BEFORE.test(before)) return true;
  const prev = PREV_WORD.exec(before);
  if (prev) {
    const word = prev[1]!;
    const wordStart = before.length - prev[0].length;
    const opening = before.slice(0, wordStart).trim() === '' || /[:;"“(]\s*$/.test(before.slice(0, wordStart));
    if (isCapitalised(word) && !/['’]s$/.test(word) && !MONTH_WORD.test(word) && !(opening && SENTENCE_OPENERS.has(word.toLowerCase()))) return true;
  }
  if (core.spelled) return false;
  const words = text.slice(core.end, core.end + 80).split(/\s+/).slice(1, 8);
  const first = words[0] ?? '';
  if (!/^\p{Lu}/u.test(first)) return false;
  // "two new 737 Max jets": a number after "new" and before a name is the model.
  if (/\b(?:new|own|latest|old|used|older|newer)\s+$/i.test(before)) return true;
  // Capitalised words, then a plural noun ("96 Liverpool fans", "5 NBA teams", "12,000 North Koreans",
  // "27000 Model S and Model X vehicles"): a count.
  for (const w of words) {
    const clean = w.replace(/[^\p{L}\p{N}'’-]+$/u, '');
    if (/^\p{Lu}/u.test(clean) || /^\d/.test(clean) || clean === 'and' || clean === '&') {
      if (/\p{Ll}s$|\ds$|[A-Z]s$/u.test(clean)) return false;
      if (clean !== w) break;
      continue;
    }
    return !(/[a-z]s$/.test(clean) && !/(?:ss|us|is)$/.test(clean));
  }
  return true;
}
const MONTH_WORD = new RegExp(String.raw`^${MONTH}\.?$`, 'i');

interface Read {
  phrase?: NumberPhrase;
  /** Where reading carries on. */
  next: number;
}

/** Not a figure: reading resumes after the number and whatever was read with it. */
function skipFrom(text: string, at: number, end: number): Read {
  return { next: Math.max(end, skipNumber(text, at)) };
}

/** Reads the number phrase whose number starts at `at` (a digit or a number word). */
function readPhrase(text: string, at: number, word: string | undefined): Read {
  if (word !== undefined) {
    FRACTION_Y.lastIndex = at;
    const f = FRACTION_Y.exec(text);
    if (f) return readFraction(text, at, f[0]);
  }
  const core = word !== undefined ? readWordCore(text, at, word) : readDigitCore(text, at);
  if (!core) return { next: word !== undefined ? at + word.length : skipNumber(text, at) };
  let end = core.end;

  if (!core.spelled) {
    // Glued after the digits: clock times, versions, dates, ordinals, decades, gallery counters.
    const ch = text[core.digits + core.raw.length];
    if ((ch === ':' || ch === '.' || ch === '/') && isDigit(text[core.digits + core.raw.length + 1])) return skipFrom(text, at, end);
    if (core.scale === 1) {
      ORDINAL_Y.lastIndex = end;
      if (ORDINAL_Y.test(text)) return skipFrom(text, at, end);
      DECADE_Y.lastIndex = end;
      if (/^\d{2,4}$/.test(core.raw) && DECADE_Y.test(text)) return skipFrom(text, at, end);
    }
    GLUED_OF_Y.lastIndex = end;
    if (GLUED_OF_Y.test(text)) return skipFrom(text, at, end);
    TIME_AFTER_Y.lastIndex = end;
    if (TIME_AFTER_Y.test(text)) return skipFrom(text, at, end);
  }
  let unit = unitAt(text, end, Boolean(core.currency));
  const before = text.slice(Math.max(0, core.start - 40), core.start);
  let ownHedge: string | undefined;
  // Digits only: a spelled-out number hyphened to a word names a kind ("a six-speed gearbox", "a
  // four-door car"), not an amount.
  if (!unit && !core.currency && !core.spelled) {
    HYPHEN_WORD_Y.lastIndex = end;
    const hw = HYPHEN_WORD_Y.exec(text);
    const word = hw?.[1];
    if (word === 'odd' || word === 'plus') {
      ownHedge = word === 'odd' ? 'about' : 'more than';
      end += hw![0].length;
    } else if (word && !NOT_A_HYPHEN_UNIT.has(word) && !isDigit(text[end + hw![0].length + 1])) {
      unit = { kind: 'measure', unit: word, end: end + hw![0].length, word: false };
    }
  }
  const ratio = ONE_IN_BEFORE.exec(before);
  if (ratio && !core.currency && !unit && core.quantity > 1) {
    // "one in 23 people", "six in 10 voters": a share, read as the fraction it is.
    const part = /^\d/.test(ratio[1]!) ? Number(ratio[1]) : (parseWords(ratio[1]!) ?? 1);
    const from = core.start - ratio[0].length;
    const value = text.slice(from, core.end);
    if (part < core.quantity) {
      // "nearly one in five adults": the hedge stands before the ratio's first number.
      const hedge = hedgeBefore(text.slice(Math.max(0, from - 40), from));
      const hedges = hedge ? [hedge.label] : [];
      return { phrase: { start: from, end: core.end, tail: core.end, value, quantity: part / core.quantity, kind: 'fraction', unit: 'fraction', hedges, amountShaped: true, spelled: core.spelled }, next: core.end };
    }
  }
  if (!core.spelled && /^(?:911|999|112|000|111)$/.test(core.raw)) {
    SERVICE_NUMBER_Y.lastIndex = end;
    if (SERVICE_NUMBER_Y.test(text) || /\b(?:dial(?:l?ed|ing)?|call(?:ed|ing)?)\s+$/i.test(before)) return skipFrom(text, at, end);
  }
  if (!core.currency && !unit) {
    if (MONTH_BEFORE.test(before)) return skipFrom(text, at, end);
    MONTH_AFTER_Y.lastIndex = end;
    if (!core.spelled && core.quantity >= 1 && core.quantity <= 31 && MONTH_AFTER_Y.test(text)) return skipFrom(text, at, end);
    if (isYear(text, core, unit)) return skipFrom(text, at, end);
    if (AGE_CUE.test(before)) {
      // ...and the other end of an age range with it ("aged 18 to 34").
      const rest = /^\s?(?:to|and|-|–)\s?\d+/.exec(text.slice(end, end + 12));
      return { next: end + (rest?.[0].length ?? 0) };
    }
    if (!core.spelled && isPartOfName(text, core, before)) return skipFrom(text, at, end);
  } else if (!core.currency && unit?.kind === 'measure' && MONTH_BEFORE.test(before)) return skipFrom(text, at, end);

  // A range or a change from one value to another.
  const prefix = FROM_OR_BETWEEN_BEFORE.exec(before);
  let start = core.start;
  let quantity = core.quantity;
  const range = readRangeEnd(text, unit ? unit.end : end, core, unit, prefix?.[1]?.toLowerCase());
  let valueEnd: number;
  let tail: number;
  if (range) {
    if (range.scale > 1 && core.scale === 1) quantity *= range.scale;
    unit = range.unit ?? unit;
    valueEnd = range.valueEnd;
    tail = range.end;
    if (prefix) start -= prefix[0].length;
  } else if (unit) {
    valueEnd = unit.word ? end : unit.end;
    tail = unit.end;
  } else {
    valueEnd = end;
    tail = end;
  }

  // "37 of 64 settlements": a part of a stated whole.
  if (!unit && !range && !core.currency) {
    OF_TOTAL_Y.lastIndex = tail;
    const of = OF_TOTAL_Y.exec(text);
    if (of) {
      tail += of[0].length;
      valueEnd = tail;
    }
  }
  // "$58.24 per barrel", "800,000 barrels a day", "20 per week"
  RATE_Y.lastIndex = tail;
  const rate = RATE_Y.exec(text);
  let rateUnit: string | undefined;
  if (rate && (unit || core.currency || /^\s?(?:per|\/)/.test(rate[0]))) {
    tail += rate[0].length;
    if (!unit?.word) valueEnd = tail;
    if (!unit && !core.currency) rateUnit = rate[0].trim();
  }
  end = tail;

  const currency = core.currency ?? (unit?.kind === 'currency' ? unit.unit : undefined);
  const kind: FigureKind = unit?.kind === 'percent' ? 'percent' : currency ? 'money' : unit?.kind === 'measure' || rateUnit ? 'measure' : 'count';

  // A score ("2-2 on aggregate", "a 9-2 lead", "won 3-1") is not a range.
  if (range && kind === 'count' && (range.hyphen || SCORE_BEFORE.test(before))) {
    SCORE_AFTER_Y.lastIndex = end;
    if (SCORE_AFTER_Y.test(text) || SCORE_BEFORE.test(before) || range.high < quantity) return skipFrom(text, at, end);
  }
  // "100 percent American", "110% committed": a percentage of emphasis, not a figure.
  if (kind === 'percent' && core.quantity >= 100 && /^\s+(?:sure|certain|right|wrong|behind|committed|true|correct|confident|convinced|honest|serious|focused|fit|healthy|safe|clear|[A-Z][a-z]+an)\b/.test(text.slice(end, end + 24))) return skipFrom(text, at, end);
  // "Smith, 65, said": an age in apposition.
  if (kind === 'count' && !range && !core.spelled && !core.shaped && core.quantity >= 1 && core.quantity <= 120 && /^\s*,/.test(text.slice(end, end + 3))) {
    const name = /([\p{L}'’-]+),\s*$/u.exec(before)?.[1];
    if (name && isCapitalised(name)) return skipFrom(text, at, end);
  }

  const hedges: string[] = [];
  if (core.sub) hedges.push('less than');
  if (ownHedge) hedges.push(ownHedge);
  const hedge = hedgeBefore(before);
  // "spread over two years": before a duration "over" is "during", not "more than".
  if (hedge && !(/\bover\s*$/i.test(hedge.words) && unit && DURATION.test(unit.unit))) hedges.push(hedge.label);
  if (word !== undefined && VAGUE[word.toLowerCase()] !== undefined) hedges.push(word.toLowerCase());
  let change: 'up' | 'down' | undefined;
  if (kind !== 'count') {
    const ch = CHANGE_BEFORE.exec(before);
    // "he raised $5.7 million" is money raised (donations, a share sale), not a rise; "raised the
    // fee by $2" is a change.
    const raisedAmount = ch !== null && /^raised$/i.test(ch[1]!) && kind === 'money' && !/\bby\b/i.test(ch[0]);
    if (ch && !prefix && !raisedAmount) change = DOWN_WORDS.test(ch[1]!.toLowerCase()) ? 'down' : 'up';
    CHANGE_AFTER_Y.lastIndex = end;
    const after = CHANGE_AFTER_Y.exec(text);
    if (!change && after && (kind === 'percent' || kind === 'money')) change = after[1]!.toLowerCase() === 'lower' ? 'down' : 'up';
  }
  if (core.negative === 'sign' && kind !== 'percent') {
    // A dash before a number is a minus only on a change ("FTSE -0.6%"); elsewhere it is punctuation.
    quantity = -quantity;
    start += 1;
  } else if (core.negative && kind === 'percent') change = 'down';

  const phrase: NumberPhrase = {
    start,
    end: valueEnd,
    tail,
    value: text.slice(start, valueEnd).trim(),
    quantity,
    kind,
    hedges,
    amountShaped: core.shaped || hedges.length > 0 || Boolean(range) || Boolean(change) || core.negative !== undefined,
    spelled: core.spelled,
  };
  const unitLabel = kind === 'percent' ? '%' : (currency ?? unit?.unit ?? rateUnit);
  if (unitLabel) phrase.unit = unitLabel;
  if (change) phrase.change = change;
  if (range) phrase.high = range.high;
  if (range?.hyphen) phrase.dashed = true;
  return { phrase, next: end };
}

interface RangeEnd {
  /** Offset after the second value as written (before a currency word), and after its unit. */
  valueEnd: number;
  end: number;
  scale: number;
  high: number;
  unit?: Unit;
  hyphen: boolean;
}

const CURRENCY_AFTER_RANGE_Y = new RegExp(String.raw`(?:(?:US|A|C|NZ|HK)\s?)?[$£€¥₹]\s?|${CURRENCY_CODE}\s?`, 'y');

/** The second end of a range: "252 to 287 miles", "$10 to $15 billion", "between 10 and 12", "5-10W". */
function readRangeEnd(text: string, at: number, first: Core, firstUnit: Unit | undefined, prefix: string | undefined): RangeEnd | undefined {
  RANGE_Y.lastIndex = at;
  const link = RANGE_Y.exec(text);
  if (!link) return undefined;
  const word = link[0].trim().toLowerCase();
  if (word === 'and' && prefix !== 'between') return undefined;
  const hyphen = word === '-' || word === '–' || word === '—';
  if (hyphen && /\s/.test(link[0]) && !prefix) return undefined;
  let at2 = at + link[0].length;
  CURRENCY_AFTER_RANGE_Y.lastIndex = at2;
  const cur = CURRENCY_AFTER_RANGE_Y.exec(text);
  if (cur) {
    // "up 10.4 cents to US $2.24": a change to a level in another unit, not a range.
    if (!first.currency) return undefined;
    at2 += cur[0].length;
  }
  let second: Core | undefined;
  if (isDigit(text[at2]) || (text[at2] === '.' && isDigit(text[at2 + 1]))) second = readDigitCore(text, at2, true);
  else if (first.spelled) {
    const w = /^[\p{L}]+/u.exec(text.slice(at2, at2 + 20))?.[0];
    second = w ? readWordCore(text, at2, w) : undefined;
  }
  if (!second) return undefined;
  // "2014-15", "between 1600 and 1900": years, not a range of amounts.
  if (!first.spelled && !first.currency && first.scale === 1 && YEAR_SHAPE.test(first.raw) && first.quantity >= 1000 && first.quantity <= 2100) return undefined;
  let end = second.end;
  let valueEnd = end;
  const unit2 = unitAt(text, end, Boolean(first.currency));
  if (firstUnit) {
    // "252 miles to 287 miles", "from 5% to 7%"; "rose 8.15% to 3.65" is a change to a level.
    if (unit2 && unit2.unit.toLowerCase() !== firstUnit.unit.toLowerCase()) return undefined;
    if (!unit2 && !prefix && !hyphen) return undefined;
  }
  if (unit2) {
    end = unit2.end;
    valueEnd = unit2.word ? second.end : unit2.end;
  }
  // "$10 to $15 billion", "1 to 2 thousand": a scale written once covers both ends, unless the
  // first is already written in full ("$250,000 to $1 million").
  const scale = second.scale > 1 && first.scale === 1 && !first.raw.includes(',') && first.quantity < 1000 ? second.scale : 1;
  const out: RangeEnd = { valueEnd, end, scale, high: second.quantity, hyphen };
  if (unit2) out.unit = unit2;
  return out;
}

/** "two-thirds of the troops", "half of them", "a third of the population". */
function readFraction(text: string, at: number, written: string): Read {
  const end = at + written.length;
  const after = text.slice(end, end + 30);
  const before = text.slice(Math.max(0, at - 20), at);
  // Only a share of something ("two-thirds of", "half the", "two-thirds have died"), not "the second half".
  if (!/^\s+(?:of|the|have|has|had|were|are|was|is|died|said)\b/i.test(after)) return { next: end };
  if (/^half$/i.test(written) && /\b(?:the|a|first|second|latter|former|bottom|top|back|front|other|one|and|by|in)\s+$/i.test(before)) return { next: end };
  const quantity = FRACTIONS[written.toLowerCase()] ?? 0;
  const hedge = hedgeBefore(before);
  const hedges = hedge ? [hedge.label] : [];
  return { phrase: { start: at, end, tail: end, value: written, quantity, kind: 'fraction', unit: 'fraction', hedges, amountShaped: true, spelled: true }, next: end };
}

/** The offset just past the run of digits (and separators) at `at`, so that reading resumes after it. */
function skipNumber(text: string, at: number): number {
  let i = at;
  while (i < text.length && (isDigit(text[i]) || (/[.,:/\-–]/.test(text[i]!) && isDigit(text[i + 1])))) i++;
  return Math.max(i, at + 1);
}

/** Marks the stretches a pattern finds as not to be read for numbers. */
function block(text: string, re: RegExp, blocked: Uint8Array | undefined): Uint8Array | undefined {
  re.lastIndex = 0;
  let x: RegExpExecArray | null;
  while ((x = re.exec(text)) !== null) {
    blocked ??= new Uint8Array(text.length + 1);
    blocked.fill(1, x.index, x.index + x[0].length);
  }
  return blocked;
}

/** Every number phrase of a sentence, in order. */
export function readNumberPhrases(text: string): NumberPhrase[] {
  const out: NumberPhrase[] = [];
  let blocked: Uint8Array | undefined;
  if (HAS_DIGIT.test(text)) blocked = block(text, NOT_FIGURES, blocked);
  if (text.includes('http') || text.includes('www.')) blocked = block(text, WEB_ADDRESS, blocked);
  CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATE.exec(text)) !== null) {
    const at = m.index;
    if (blocked?.[at]) {
      let i = at;
      while (i < text.length && blocked[i]) i++;
      CANDIDATE.lastIndex = i;
      continue;
    }
    const read = readPhrase(text, at, m[2]);
    if (read.phrase?.kind === 'fraction') {
      // "about 4 in 10 voters": the ratio is found at its second number, after its first was read
      // as a figure of its own; that first number is part of the ratio, and its hedge is the ratio's.
      while (out.length > 0 && out[out.length - 1]!.start >= read.phrase.start) {
        const part = out.pop()!;
        for (const hedge of part.hedges) if (!read.phrase.hedges.includes(hedge)) read.phrase.hedges.push(hedge);
      }
    }
    if (read.phrase) out.push(read.phrase);
    CANDIDATE.lastIndex = Math.max(read.next, at + 1);
  }
  return out;
}
const HAS_DIGIT = /\d/;
