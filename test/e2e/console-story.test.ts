/**
 * /story and /quote in the console chat as a person runs it: `briefbot start --console` from the
 * compiled build (bin/briefbot.js runs dist/), on a briefings folder holding the border story
 * written for the tests, with piped input. The console has no buttons, so it says what to type
 * for each part, and typing it shows the part.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BORDER, borderFolder } from '../commands/border-story.js';
import { describeRun, runBriefbot, type CliRun } from '../helpers/run-cli.js';

const STORY = BORDER.herald;
const LINES = ['/story', `/story ${STORY} figures`, `/story ${STORY} quotes`, '/quote withdraw soldiers', '/story volcano'];

let dir: string;
let chat: CliRun;
const answers = new Map<string, string>();

beforeAll(async () => {
  dir = await borderFolder();
  chat = await runBriefbot(['start', '--console'], { input: LINES.join('\n') + '\n', env: { BRIEFINGS_DIR: dir, DATABASE_PATH: `${dir}/briefbot.db` }, cwd: dir, timeoutMs: 30_000 });
  let current: string | undefined;
  for (const line of chat.stdout.split('\n')) {
    const echoed = /^> (\/.*)$/.exec(line);
    if (echoed && LINES.includes(echoed[1]!)) answers.set((current = echoed[1]!), '');
    else if (current !== undefined) answers.set(current, answers.get(current)! + line + '\n');
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function answer(line: string): string {
  const text = answers.get(line);
  expect(text, `no answer to ${JSON.stringify(line)}\n${describeRun(chat)}`).toBeDefined();
  return text!.trim();
}

describe('the console chat: /story and /quote across outlets', () => {
  it('answers every line and exits 0', () => {
    expect(chat.code, describeRun(chat)).toBe(0);
    expect(chat.stderr, describeRun(chat)).toBe('');
    expect([...answers.keys()]).toEqual(LINES);
  });

  it('/story prints one story drawn from three outlets, and what to type for its parts', () => {
    const text = answer('/story');
    expect(text.split('\n')[0]).toBe('# Kovac keeps troops on northern border as Zagreb talks collapse');
    expect(text.match(/^# /gm)).toHaveLength(1);
    expect(text).toContain('(Harbour Times; also: Valley Post, Daily Courier)');
    expect(text).toContain('Carried by 3 outlets: Harbour Times, Valley Post, Daily Courier.');
    expect(text).toContain(`More: Figures: /story ${STORY} figures · Quotes: /story ${STORY} quotes · Coverage: /story ${STORY} coverage`);
  });

  it('the figures part shows the troop figures as a disagreement, the quotes part the dropped "not"', () => {
    const figures = answer(`/story ${STORY} figures`);
    expect(figures).toContain('troops: outlets disagree:');
    expect(figures).toContain('  • 10,000 — Army officials in Harbour Times, published 2026-12-04 09:00 UTC');
    expect(figures).toContain('  • 12,000 — Ivan Horvat in Valley Post, published 2026-12-04 10:00 UTC');
    expect(answer(`/story ${STORY} quotes`)).toContain('Daily Courier differs (negation dropped)');
  });

  it('/quote shows the three printings of the quote as one item', () => {
    const text = answer('/quote withdraw soldiers');
    expect(text.split('\n')[0]).toBe('1 quote for "withdraw soldiers"');
    expect(text).toContain('— Maria Kovac, Defence Minister (Harbour Times, Valley Post; Daily Courier differs: negation dropped)');
  });

  it('says when no story matches', () => {
    expect(answer('/story volcano')).toBe('! No story matches "volcano". Try fewer words, or /story for the latest.');
  });
});
