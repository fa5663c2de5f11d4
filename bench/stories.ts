import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createStoryIndex, type StoryArticle } from '../src/stories/index.js';

/**
 * The story-grouping benchmark: the time to add one article to an index that already holds
 * 10,000 live stories (median and p95, reading the article's names and sketch included), and the
 * heap and RSS before and after, then over a long rolling run in which old stories are forgotten.
 *
 *   npm run bench -- stories [--stories N] [--adds N] [--rolling N]
 *
 * The articles are generated deterministically: each event has its own made-up people, place,
 * organisation and words, drawn from pools large enough that 10,000 events rarely share more than
 * a common word or two, written into ~450-word articles with filler sentences every article shares.
 * Half of the timed articles report an existing event (they join its story), half a new one.
 */

/** mulberry32: a small deterministic generator whose streams for nearby seeds do not repeat each other. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}


const SYLLABLES = 'ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'.split(' ');

function pseudoWord(random: () => number, syllables: number): string {
  let word = '';
  for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
  return word;
}

const capital = (w: string): string => w[0]!.toUpperCase() + w.slice(1);

/** Everyday words every event shares, drawn with a skew (a few very common, most rare), as in news text. */
const COMMON = ((): string[] => {
  const random = rng(424242);
  return Array.from({ length: 3000 }, () => pseudoWord(random, 2 + Math.floor(random() * 2)));
})();

const FILLER = [
  'Officials said more details would be released later in the week.',
  'The announcement came after several days of talks between the parties involved.',
  'Critics said the decision had been made too quickly and without enough consultation.',
  'Supporters welcomed the move and said it was long overdue.',
  'Local residents gathered outside the building throughout the afternoon.',
  'Analysts said the outcome could shape the debate for months to come.',
  'A spokesperson declined to comment on the figures when asked by reporters.',
  'The matter is expected to come up again at the next meeting of the council.',
];

interface Event {
  person: string;
  place: string;
  organisation: string;
  words: string[];
}

function eventOf(n: number): Event {
  const random = rng(n * 7919 + 13);
  return {
    person: `${capital(pseudoWord(random, 2))} ${capital(pseudoWord(random, 4))}`,
    place: capital(pseudoWord(random, 4)),
    organisation: `${capital(pseudoWord(random, 4))} Authority`,
    words: Array.from({ length: 30 }, () => pseudoWord(random, 3)),
  };
}

export function articleOf(id: string, n: number, variant: number, published: string): StoryArticle {
  const e = eventOf(n);
  const random = rng(n * 31 + variant * 1_000_003);
  const pick = (): string => e.words[Math.floor(random() * e.words.length)]!;
  const common = (): string => COMMON[Math.floor(random() ** 3 * COMMON.length)]!;
  const sentence = (): string =>
    `${capital(pick())} ${common()} ${pick()} in ${e.place} was ${common()} ${pick()} by ${e.person}, the ${e.organisation} said, after the ${pick()} ${common()} ${common()} ${pick()}.`;
  const paragraphs: string[] = [];
  for (let p = 0; p < 8; p++) {
    const lines = [sentence(), FILLER[Math.floor(random() * FILLER.length)]!, sentence(), FILLER[Math.floor(random() * FILLER.length)]!];
    paragraphs.push(lines.join(' '));
  }
  return { id, title: `${e.person} and the ${pick()} ${pick()} in ${e.place}`, text: paragraphs.join('\n\n'), published, outlet: `outlet-${variant % 7}` };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function runStoriesBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { stories: { type: 'string' }, adds: { type: 'string' }, rolling: { type: 'string' } } });
  const storyCount = Number(values.stories ?? 10_000);
  const adds = Number(values.adds ?? 1_000);
  const rolling = Number(values.rolling ?? 30_000);
  const index = createStoryIndex();
  const day = (d: number, minute: number): string => new Date(Date.UTC(2026, 0, 1 + d, 0, minute % 1440)).toISOString();

  // 10,000 events, one article each, all within the time window of the timed articles.
  const build = performance.now();
  for (let n = 0; n < storyCount; n++) index.add(articleOf(`a${n}`, n, 0, day(0, n % 1440)));
  const buildMs = performance.now() - build;
  if (index.stories().length !== storyCount) console.log(`note: ${storyCount} events made ${index.stories().length} stories`);
  const before = memory();

  // The timed articles, generated before timing: even ones report an existing event, odd ones a new event.
  const timed: StoryArticle[] = [];
  for (let i = 0; i < adds; i++) {
    const n = i % 2 === 0 ? Math.floor(rng(i + 99)() * storyCount) : storyCount + i;
    timed.push(articleOf(`t${i}`, n, 1 + i, day(1, i)));
  }
  const times: number[] = [];
  let joined = 0;
  let misplaced = 0;
  timed.forEach((article, i) => {
    const started = performance.now();
    const assignment = index.add(article);
    times.push(performance.now() - started);
    if (i % 2 === 0 && assignment.story === `a${Math.floor(rng(i + 99)() * storyCount)}`) joined++;
    if (i % 2 === 1 && !assignment.created) misplaced++;
  });
  const after = memory();
  times.sort((a, b) => a - b);
  const followUps = Math.ceil(adds / 2);

  console.log(`index: ${storyCount} stories built in ${(buildMs / 1000).toFixed(1)} s (${(buildMs / storyCount).toFixed(2)} ms per article)`);
  console.log(`add one article to ${storyCount} stories: median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms (${adds} articles; target median ≤ 5 ms)`);
  console.log(`  ${joined} of ${followUps} follow-ups joined their event's story; ${misplaced} of ${adds - followUps} new events were put in an existing story`);
  console.log(`memory: heap ${mb(before.heap)} → ${mb(after.heap)}, RSS ${mb(before.rss)} → ${mb(after.rss)} (after ${adds} adds; about ${((after.heap - before.heap) / adds / 1024).toFixed(1)} KB per article kept)`);

  // A long run as the bot sees it: time moves on, and stories quiet for more than a week are forgotten daily.
  const perDay = 2_000;
  const checkpoints: string[] = [];
  let forgotten = 0;
  for (let i = 0; i < rolling; i++) {
    const d = 2 + Math.floor(i / perDay);
    const n = storyCount + adds + i;
    index.add(articleOf(`r${i}`, i % 3 === 0 && i > 0 ? n - 1 : n, 2 + i, day(d, i)));
    if ((i + 1) % perDay === 0) {
      forgotten += index.forget(day(d - 7, 0));
      const m = memory();
      checkpoints.push(`day ${d}: ${index.stories().length} stories, heap ${mb(m.heap)}, RSS ${mb(m.rss)}`);
    }
  }
  console.log(`rolling: ${rolling} more articles over ${Math.ceil(rolling / perDay)} days, stories older than a week forgotten daily (${forgotten} forgotten):`);
  for (const line of checkpoints) console.log(`  ${line}`);

  // Few stories with many articles each: what a story keeps per article must not grow with its
  // length (only its latest members' vectors are kept, beside the ids and sketches every report needs).
  const deepEvents = 10;
  const deepPer = 300;
  const deep = createStoryIndex();
  const deepBefore = memory();
  const deepStart = performance.now();
  for (let v = 0; v < deepPer; v++) for (let n = 0; n < deepEvents; n++) deep.add(articleOf(`d${n}-${v}`, 1_000_000 + n, v, day(0, v * deepEvents + n)));
  const deepMs = performance.now() - deepStart;
  const deepAfter = memory();
  console.log(
    `deep stories: ${deepEvents * deepPer} articles into ${deep.stories().length} stories (${deepEvents} events × ${deepPer}) in ${(deepMs / (deepEvents * deepPer)).toFixed(2)} ms per article; heap +${mb(deepAfter.heap - deepBefore.heap)} (about ${((deepAfter.heap - deepBefore.heap) / (deepEvents * deepPer) / 1024).toFixed(1)} KB per article)`,
  );
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (the machine is shared; times vary with load)`);
}
