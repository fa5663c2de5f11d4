/**
 * `npm start` as a newcomer runs it: with no platform credentials it opens the console chat on
 * the briefings folder; with piped input it answers each line and exits 0 at the end. One
 * process answers every line below; a second one shows a half-configured platform stopping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_FRAME, describeRun, linesOf, runNpmStart, type CliRun } from '../helpers/run-cli.js';

const SEED_TITLE = 'North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates';

const LINES = [
  '/brief',
  '/quote Peskov',
  '/articles',
  '/help',
  '/frobnicate',
  '/brief length:huge',
  '/quote',
  `/brief ${'x'.repeat(250)}`,
  '/quote peskov\u0007',
  'hello there',
  '/brief north korea tldr',
];

let chat: CliRun;
let halfConfigured: CliRun;
/** The answer to each line, by the line as the chat echoes it. */
const answers = new Map<string, string>();

beforeAll(async () => {
  [chat, halfConfigured] = await Promise.all([
    runNpmStart({ input: LINES.join('\n') + '\n', timeoutMs: 30_000 }),
    runNpmStart({ env: { DISCORD_TOKEN: 'discord-token-that-must-not-be-printed' }, timeoutMs: 30_000 }),
  ]);
  // The chat echoes each piped line as "> line" before answering it.
  let current: string | undefined;
  for (const line of chat.stdout.split('\n')) {
    const echoed = /^> (\/.*|hello there)$/.exec(line);
    if (echoed && LINES.includes(echoed[1]!)) {
      current = echoed[1]!;
      answers.set(current, '');
    } else if (current !== undefined) {
      answers.set(current, answers.get(current)! + line + '\n');
    }
  }
}, 60_000);

function answer(line: string): string {
  const text = answers.get(line);
  expect(text, `no answer to ${JSON.stringify(line)}\n${describeRun(chat)}`).toBeDefined();
  return text!.trim();
}

describe('npm start with piped input and no platform credentials', () => {
  it('answers every line and exits 0 at the end of the input, with nothing on stderr', () => {
    expect(chat.timedOut, describeRun(chat)).toBe(false);
    expect(chat.code, describeRun(chat)).toBe(0);
    expect(chat.stderr, describeRun(chat)).toBe('');
    expect([...answers.keys()]).toEqual(LINES);
  });

  it('opens with a banner: what was loaded, and which platforms are off and why', () => {
    const banner = chat.stdout.slice(0, chat.stdout.indexOf('> /brief'));
    expect(banner).toMatch(/briefbot console · \d+ briefings? loaded from .*briefings\//);
    expect(banner).toContain('discord is off: DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set.');
    expect(banner).toContain('slack is off: SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is not set.');
    expect(banner).toContain('Type /help for commands');
  });

  it('/brief prints the seed’s briefing: title, TL;DR, key points, footer and where to read more', () => {
    const text = answer('/brief');
    expect(text.split('\n')[0]).toBe(`# ${SEED_TITLE}`);
    expect(text).toMatch(/\nTL;DR: .{20,280}\n/);
    expect(text).toMatch(/\nKey points:\n( {2}• .+\n){3,5}/);
    expect(text).toContain('(by kevinhughes · 2025-11-17 · ');
    expect(text).toContain('id: north-korea-deploys-6000-engineers-to-kursk-as-military');
  });

  it('/quote Peskov prints Dmitry Peskov’s quote, whole, with his role and the article', () => {
    expect(answer('/quote Peskov')).toContain(
      '“We will never forget this help. This work continues. It is dangerous and difficult, but our Korean friends are truly helping us, and we greatly appreciate it.” — Dmitry Peskov, spokesman (' +
        SEED_TITLE +
        ', 2025-11-17; id: north-korea-deploys-6000-engineers-to-kursk-as-military)',
    );
  });

  it('/articles lists the loaded articles with their dates and ids', () => {
    const text = answer('/articles');
    expect(text).toMatch(/^\d+ articles?\n/);
    expect(text).toContain(`\n  • ${SEED_TITLE} — 2025-11-17 · id: north-korea-deploys-6000-engineers-to-kursk-as-military`);
  });

  it('/help lists every command', () => {
    const text = answer('/help');
    for (const usage of ['/brief [article] [length: tldr|short|full]', '/quote <query> [speaker] [article]', '/articles [query] [page]', '/help [command]']) expect(text).toContain(usage);
  });

  it('answers an unknown command with a pointer to /help', () => {
    expect(answer('/frobnicate')).toBe('! Unknown command /frobnicate. Try /help.');
  });

  it.each([
    ['/brief length:huge', '! Length must be one of: tldr, short, full. Usage: /brief [article] [length: tldr|short|full]'],
    ['/quote', '! Query is required. Usage: /quote <query>'],
    [`/brief ${'x'.repeat(250)}`, '! Article is too long (at most 200 characters). Usage: /brief [article]'],
    ['/quote peskov\u0007', '! Query contains control characters. Usage: /quote <query>'],
  ])('answers bad options with what is wrong and the usage line (%j)', (line, message) => {
    const text = answer(line);
    expect(text.split('\n')).toHaveLength(1);
    expect(text.startsWith(message), text).toBe(true);
  });

  it('reminds a line without a slash how commands look', () => {
    expect(answer('hello there')).toMatch(/^Commands start with a slash: try \/help/);
  });

  it('/brief <title words> <length> finds the article and shows that much', () => {
    const text = answer('/brief north korea tldr');
    expect(text.split('\n')[0]).toBe(`# ${SEED_TITLE}`);
    expect(text).toContain('TL;DR: ');
    expect(text).not.toContain('Key points:');
  });
});

describe('npm start with a half-configured platform', () => {
  it('stops before opening anything, naming what is missing, without the token or a stack trace', () => {
    const run = halfConfigured;
    expect(run.timedOut, describeRun(run)).toBe(false);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr, describeRun(run)).not.toMatch(STACK_FRAME);
    const lines = linesOf(run.stderr).filter((l) => l.startsWith('briefbot: '));
    expect(lines, describeRun(run)).toEqual(['briefbot: Discord is half-configured: set DISCORD_APPLICATION_ID too (or unset both).']);
    expect(run.stdout + run.stderr).not.toContain('discord-token-that-must-not-be-printed');
    expect(run.stdout).not.toContain('briefbot console');
  });
});
