import { BriefbotError } from '../errors.js';
import { featuresOf, sketchSimilarity, type ArticleFeatures, type StoryArticle } from './features.js';

/**
 * Articles grouped into stories as they arrive. Each article is compared with the live stories
 * that share a word or a name with it (an inverted index finds them, so the cost does not grow
 * with the number of stories), and joins the most similar one above a threshold, or starts a story.
 *
 * Similarity is the cosine of TF-IDF vectors of the title and lead, with the names of people,
 * places and organisations as extra dimensions of higher weight; document frequencies are those of
 * the articles seen so far. It is read two ways and blended: against the story as a whole (its
 * members' words summed) and against the one recent member the article is most like. The whole
 * alone drifts as a story gathers angles (the debate, then the reactions to it, then a column on
 * it), so a new angle that matches one report closely is missed; the closest member alone chains
 * unrelated happenings through one shared report. Blended, each guards against the other's failure. A story is only a candidate while its last article is within the time
 * window of the new one, and a story whose key names the article shares none of is vetoed.
 * A copy (near-identical text by MinHash, or the same wire story) always joins its original's
 * story, and is counted as one report with it.
 *
 * Deterministic: the same articles in the same order give the same stories. Candidates are scored
 * in order of creation and ties go to the older story, so no Map or Set order leaks into results.
 * The order of arrival does matter in general (the first article of a story sets its id and title,
 * document frequencies grow with each article, and a third article can bridge two), as in every
 * single-pass clustering; the tests check that clear pairs are decided the same either way round.
 */

export interface StoryOptions {
  /** A story takes new articles published up to this many days after its latest one (or before its first). */
  windowDays: number;
  /** The least similarity (0..1) for an article to join a story. */
  joinSimilarity: number;
  /** The least similarity for an article with no date to join a story: with no time to go by, more of the words must agree. */
  undatedJoinSimilarity: number;
  /** How much a shared name counts against a shared word. */
  nameWeight: number;
  /** MinHash Jaccard of 4-shingles from which two articles are copies of one report. */
  copySimilarity: number;
  /** For two articles crediting the same wire service, the lower Jaccard from which one is an edited copy of the other. */
  wireCopySimilarity: number;
  /** A story with no new article for this many hours is quiet. */
  quietAfterHours: number;
  /** The words and names a story keeps for matching (its strongest), so that a long story stays cheap. */
  maxStoryTerms: number;
  /** A word or name found in more stories than this does not nominate candidates (it still scores them). */
  maxPostings: number;
  /** How many of an article's strongest words nominate candidates. */
  queryTerms: number;
  /**
   * An article this similar to two stories bridges them: the younger story is merged into the
   * older (its articles then belong to the older story's id). Infinity never merges.
   */
  mergeSimilarity: number;
  /** How much each word of the body counts beside the title's (2) and the lead's (1); 0 reads the title and lead only. */
  bodyWeight: number;
  /**
   * How much the article's likeness to the story's closest recent member counts beside its
   * likeness to the story as a whole (0..1; 0 reads the whole only).
   */
  memberWeight: number;
  /** How many of a story's latest articles are compared with a new one one by one. */
  recentMembers: number;
}

export const DEFAULT_STORY_OPTIONS: StoryOptions = {
  windowDays: 3,
  joinSimilarity: 0.07,
  undatedJoinSimilarity: 0.15,
  nameWeight: 2,
  copySimilarity: 0.5,
  wireCopySimilarity: 0.2,
  quietAfterHours: 24,
  maxStoryTerms: 200,
  maxPostings: 2000,
  queryTerms: 16,
  bodyWeight: 0.25,
  mergeSimilarity: 0.1,
  memberWeight: 0.4,
  recentMembers: 8,
};

export type StoryState = 'new' | 'developing' | 'quiet';

/** Copies of one text (the same wire story, a reprint): one report, however many outlets carried it. */
export interface StoryReport {
  articles: string[];
  outlets: string[];
  wire?: string;
}

export interface Story {
  id: string;
  title: string;
  /** In order of arrival. */
  articles: string[];
  outlets: string[];
  /** The distinct texts; `reports.length < articles.length` when copies were collapsed. */
  reports: StoryReport[];
  /** ISO 8601 times of the first and latest article (undated articles take the latest time seen). */
  firstSeen: string;
  lastSeen: string;
  state: StoryState;
  /** The ids of the stories merged into this one, in the order they were merged (what a channel was told of them, it was told of this one). */
  merged: string[];
}

export interface Assignment {
  article: string;
  story: string;
  /** The article started this story. */
  created: boolean;
  /** The article is a copy of a report the story already had. */
  copy: boolean;
}

export interface StoryIndex {
  add(article: StoryArticle): Assignment;
  story(id: string): Story | undefined;
  /** The live stories, oldest first. */
  stories(): Story[];
  /** The story an article was put in. */
  storyOf(articleId: string): string | undefined;
  readonly size: number;
  /** Drops the stories whose latest article is older than `before` (ISO time); returns how many. */
  forget(before: string): number;
}

/** An article's TF-IDF vector as it was when it arrived (document frequencies of then), for comparing articles one to one. */
interface MemberVector {
  terms: string[];
  weights: Float64Array;
  norm: number;
}

interface Member {
  id: string;
  /** Its place in the order of arrival. */
  order: number;
  outlet?: string;
  sketch: Uint32Array;
  wire?: string;
}

/** One of a story's latest members, as it is compared: its place in the order of arrival and its vector. */
interface RecentMember {
  order: number;
  vector: MemberVector;
}

interface Report {
  members: Member[];
}

interface StoryRecord {
  seq: number;
  id: string;
  title: string;
  articles: string[];
  reports: Report[];
  firstSeen: number;
  lastSeen: number;
  /** The members' word counts (each article's scaled to one length) and names (under a '@' prefix), summed; the strongest kept. */
  terms: Map<string, number>;
  keyNames: Set<string>;
  /** The vectors of its latest members (at most recentMembers), oldest first; only these are kept, so a story's memory is bounded however many articles it has. */
  recent: RecentMember[];
  alive: boolean;
  /** The ids of the stories absorbed into this one. */
  merged: string[];
}

const DAY_MS = 86_400_000;
/** The length each article's word counts are scaled to before they are added to its story. */
const ARTICLE_LENGTH = 20;

function timeOf(article: StoryArticle): number | undefined {
  const published = article.published?.trim();
  if (!published) return undefined;
  const time = Date.parse(published);
  if (Number.isNaN(time)) throw new BriefbotError('bad-record', `article "${article.id}": "published" is not a date: ${JSON.stringify(published)}`);
  return time;
}

function frozenVector(vector: Map<string, number>, norm: number): MemberVector {
  return { terms: [...vector.keys()], weights: Float64Array.from(vector.values()), norm };
}

function titleOf(article: StoryArticle, features: ArticleFeatures): string {
  const title = article.title?.trim();
  if (title) return title;
  const lead = features.lead.split(/(?<=[.!?])\s/)[0] ?? '';
  return lead.length > 120 ? `${lead.slice(0, 117).trimEnd()}…` : lead || article.id;
}

export function createStoryIndex(options: Partial<StoryOptions> = {}): StoryIndex {
  const o: StoryOptions = { ...DEFAULT_STORY_OPTIONS, ...options };
  const windowMs = o.windowDays * DAY_MS;
  const stories: StoryRecord[] = [];
  const byId = new Map<string, StoryRecord>();
  const storyOfArticle = new Map<string, StoryRecord>();
  /** The id of a story merged into another → the story that holds its articles now. */
  const aliases = new Map<string, StoryRecord>();
  /** Article id → its place in the order of arrival, to keep merged stories in that order. */
  const arrival = new Map<string, number>();
  /** term or '@name' → the stories that hold it, by creation order. */
  const postings = new Map<string, StoryRecord[]>();
  /** term or '@name' → in how many articles seen so far. */
  const documentFrequency = new Map<string, number>();
  let articlesSeen = 0;
  let clock = 0;
  let seq = 0;
  let memberOrder = 0;

  const idf = (term: string): number => Math.log((articlesSeen + 2) / ((documentFrequency.get(term) ?? 0) + 1));

  function articleVector(features: ArticleFeatures): Map<string, number> {
    const vector = new Map<string, number>();
    for (const [term, count] of features.terms) vector.set(term, (1 + Math.log(1 + count)) * idf(term));
    for (const name of features.names) vector.set(`@${name}`, o.nameWeight * idf(`@${name}`));
    return vector;
  }

  function storyWeight(term: string, count: number): number {
    return (term.startsWith('@') ? o.nameWeight : 1 + Math.log(1 + count)) * idf(term);
  }

  function cosine(vector: Map<string, number>, vectorNorm: number, story: StoryRecord): number {
    let dot = 0;
    let norm = 0;
    for (const [term, count] of story.terms) {
      const w = storyWeight(term, count);
      norm += w * w;
      const v = vector.get(term);
      if (v !== undefined) dot += v * w;
    }
    return norm === 0 || vectorNorm === 0 ? 0 : dot / Math.sqrt(norm * vectorNorm);
  }

  /** How like the article is to the story's most similar recent member: cosine of the two vectors. */
  function closestMember(vector: Map<string, number>, vectorNorm: number, story: StoryRecord): number {
    let best = 0;
    for (const member of story.recent) {
      const { terms, weights, norm } = member.vector;
      if (norm === 0 || vectorNorm === 0) continue;
      let dot = 0;
      for (let i = 0; i < terms.length; i++) {
        const v = vector.get(terms[i]!);
        if (v !== undefined) dot += v * weights[i]!;
      }
      best = Math.max(best, dot / Math.sqrt(norm * vectorNorm));
    }
    return best;
  }

  function similarityTo(vector: Map<string, number>, vectorNorm: number, story: StoryRecord): number {
    const whole = cosine(vector, vectorNorm, story);
    return o.memberWeight > 0 ? (1 - o.memberWeight) * whole + o.memberWeight * closestMember(vector, vectorNorm, story) : whole;
  }

  function remember(story: StoryRecord, members: readonly RecentMember[]): void {
    story.recent = [...story.recent, ...members].sort((a, b) => a.order - b.order).slice(-o.recentMembers);
  }

  function isCopy(member: Member, features: ArticleFeatures): boolean {
    const similarity = sketchSimilarity(member.sketch, features.sketch);
    if (similarity >= o.copySimilarity) return true;
    return member.wire !== undefined && member.wire === features.wire && similarity >= o.wireCopySimilarity;
  }

  function candidatesFor(features: ArticleFeatures, vector: Map<string, number>, time: number): StoryRecord[] {
    const nominating = [...features.names].map((n) => `@${n}`);
    const words = [...features.terms.keys()].filter((t) => postings.has(t)).sort((a, b) => vector.get(b)! - vector.get(a)! || (a < b ? -1 : 1)).slice(0, o.queryTerms);
    const found = new Set<StoryRecord>();
    for (const term of [...nominating, ...words]) {
      const list = postings.get(term);
      if (!list || list.length > o.maxPostings) continue;
      for (const story of list) {
        if (story.alive && time <= story.lastSeen + windowMs && time >= story.firstSeen - windowMs) found.add(story);
      }
    }
    return [...found].sort((a, b) => a.seq - b.seq);
  }

  function addTerms(story: StoryRecord, features: ArticleFeatures): void {
    const bump = (term: string, by: number): void => {
      if (!story.terms.has(term)) {
        const list = postings.get(term);
        if (list) list.push(story);
        else postings.set(term, [story]);
      }
      story.terms.set(term, (story.terms.get(term) ?? 0) + by);
    };
    // Each article adds its word counts scaled to one length, so a long article does not outweigh
    // the short ones in what the story is about.
    let norm = 0;
    for (const count of features.terms.values()) norm += count * count;
    const scale = ARTICLE_LENGTH / Math.sqrt(norm || 1);
    for (const [term, count] of features.terms) bump(term, count * scale);
    for (const name of features.names) bump(`@${name}`, 1);
    for (const name of features.keyNames) story.keyNames.add(name);
    trimTerms(story);
  }

  function trimTerms(story: StoryRecord): void {
    if (story.terms.size <= o.maxStoryTerms) return;
    // Keep the strongest; a dropped term stays in the postings (harmless: it only nominates).
    const kept = [...story.terms].sort((a, b) => storyWeight(b[0], b[1]) - storyWeight(a[0], a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, o.maxStoryTerms);
    story.terms = new Map(kept);
  }

  function absorb(into: StoryRecord, other: StoryRecord): void {
    other.alive = false;
    into.merged.push(other.id, ...other.merged);
    aliases.set(other.id, into);
    byId.delete(other.id);
    into.articles.push(...other.articles);
    into.articles.sort((a, b) => arrival.get(a)! - arrival.get(b)!);
    into.reports.push(...other.reports);
    into.reports.sort((a, b) => arrival.get(a.members[0]!.id)! - arrival.get(b.members[0]!.id)!);
    for (const id of other.articles) storyOfArticle.set(id, into);
    into.firstSeen = Math.min(into.firstSeen, other.firstSeen);
    into.lastSeen = Math.max(into.lastSeen, other.lastSeen);
    for (const name of other.keyNames) into.keyNames.add(name);
    remember(into, other.recent);
    for (const [term, count] of other.terms) {
      if (!into.terms.has(term)) postings.get(term)?.push(into);
      into.terms.set(term, (into.terms.get(term) ?? 0) + count);
    }
    trimTerms(into);
  }

  function publicStory(story: StoryRecord): Story {
    const outlets = (members: Member[]): string[] => [...new Set(members.map((m) => m.outlet).filter((x): x is string => Boolean(x)))];
    const all = story.reports.flatMap((r) => r.members);
    const quiet = clock - story.lastSeen > o.quietAfterHours * 3_600_000;
    return {
      id: story.id,
      title: story.title,
      articles: [...story.articles],
      outlets: outlets(all),
      reports: story.reports.map((r) => {
        const wire = r.members.find((m) => m.wire)?.wire;
        return { articles: r.members.map((m) => m.id), outlets: outlets(r.members), ...(wire ? { wire } : {}) };
      }),
      firstSeen: new Date(story.firstSeen).toISOString(),
      lastSeen: new Date(story.lastSeen).toISOString(),
      state: quiet ? 'quiet' : story.reports.length > 1 ? 'developing' : 'new',
      merged: [...story.merged],
    };
  }

  return {
    add(article) {
      if (!article.id) throw new BriefbotError('bad-record', 'article has no "id"');
      if (storyOfArticle.has(article.id)) throw new BriefbotError('bad-record', `article "${article.id}" was already added`);
      const published = timeOf(article);
      const dated = published !== undefined;
      const time = published ?? clock;
      arrival.set(article.id, arrival.size);
      const features = featuresOf(article, o.bodyWeight);
      const vector = articleVector(features);
      let vectorNorm = 0;
      for (const w of vector.values()) vectorNorm += w * w;
      const member: Member = { id: article.id, order: memberOrder++, sketch: features.sketch, ...(article.outlet ? { outlet: article.outlet } : {}), ...(features.wire ? { wire: features.wire } : {}) };

      let chosen: StoryRecord | undefined;
      let copyOf: Report | undefined;
      // Without a date, nothing says the article is of the moment of the stories it is compared
      // with (it is only taken to arrive now): its words must carry more of the evidence.
      // Nor may it bridge two stories on less than it would need to join one.
      const undatedBar = dated ? 0 : o.undatedJoinSimilarity;
      let best = Math.max(o.joinSimilarity, undatedBar);
      const bridgeAt = Math.max(o.mergeSimilarity, undatedBar);
      const bridged: StoryRecord[] = [];
      for (const story of candidatesFor(features, vector, time)) {
        const report = story.reports.find((r) => r.members.some((m) => isCopy(m, features)));
        if (report) {
          chosen = story;
          copyOf = report;
          break;
        }
        const sharesKeyName = story.keyNames.size === 0 || features.keyNames.size === 0 || [...features.names].some((n) => story.keyNames.has(n) || story.terms.has(`@${n}`));
        if (!sharesKeyName) continue;
        const similarity = similarityTo(vector, vectorNorm, story);
        if (similarity >= bridgeAt) bridged.push(story);
        if (similarity > best) {
          best = similarity;
          chosen = story;
        }
      }

      // The article counts in the document frequencies from now on, whatever story it joins; a
      // copy is the same document again, and counts once with its report.
      if (!copyOf) {
        articlesSeen++;
        for (const term of vector.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      }
      if (time > clock) clock = time;

      // Stories the article bridges become one, under the oldest of them.
      if (chosen && !copyOf && bridged.length > 1 && bridged.includes(chosen)) {
        const [oldest, ...younger] = bridged;
        for (const other of younger) absorb(oldest!, other);
        chosen = oldest;
      }

      const created = chosen === undefined;
      const story: StoryRecord = chosen ?? {
        seq: seq++,
        id: article.id,
        title: titleOf(article, features),
        articles: [],
        reports: [],
        firstSeen: time,
        lastSeen: time,
        terms: new Map(),
        keyNames: new Set(),
        recent: [],
        alive: true,
        merged: [],
      };
      if (created) {
        stories.push(story);
        byId.set(story.id, story);
      }
      story.articles.push(article.id);
      if (copyOf) copyOf.members.push(member);
      else story.reports.push({ members: [member] });
      story.firstSeen = Math.min(story.firstSeen, time);
      story.lastSeen = Math.max(story.lastSeen, time);
      if (!copyOf) {
        // A copy says what its report already said: it adds no words and takes no place among the latest.
        addTerms(story, features);
        remember(story, [{ order: member.order, vector: frozenVector(vector, vectorNorm) }]);
      }
      storyOfArticle.set(article.id, story);
      return { article: article.id, story: story.id, created, copy: copyOf !== undefined };
    },

    story(id) {
      const story = byId.get(id) ?? aliases.get(id);
      return story?.alive ? publicStory(story) : undefined;
    },

    stories() {
      return stories.filter((s) => s.alive).map(publicStory);
    },

    storyOf(articleId) {
      const story = storyOfArticle.get(articleId);
      return story?.alive ? story.id : undefined;
    },

    get size() {
      return stories.length;
    },

    forget(before) {
      const limit = Date.parse(before);
      if (Number.isNaN(limit)) throw new BriefbotError('usage', `forget: not a date: ${JSON.stringify(before)}`);
      const dropped = stories.filter((s) => s.lastSeen < limit);
      if (dropped.length === 0) return 0;
      for (const story of dropped) {
        story.alive = false;
        byId.delete(story.id);
        for (const id of story.articles) {
          storyOfArticle.delete(id);
          arrival.delete(id);
        }
      }
      for (const [id, story] of aliases) if (!story.alive) aliases.delete(id);
      const keep = stories.filter((s) => s.alive);
      stories.length = 0;
      stories.push(...keep);
      for (const [term, list] of postings) {
        const live = list.filter((s) => s.alive);
        if (live.length === 0) postings.delete(term);
        else postings.set(term, live);
      }
      return dropped.length;
    },
  };
}
