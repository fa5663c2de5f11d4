import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs, parseEnv, type ParseArgsConfig } from 'node:util';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { articleText, decodeArticleBytes, formatBytes, loadArticleFile, MAX_ARTICLE_BYTES, readArticleText, type Article } from '../articles/index.js';
import { readFileBounded, readStreamBounded } from '../util/read-bounded.js';
import { BriefingSchema, createBriefing } from '../briefing/index.js';
import { articlesCommand, type ArticlesPage } from '../commands/articles.js';
import { briefCommand, briefReply } from '../commands/brief.js';
import { parseTextArguments, validateOptions, type RawOptions } from '../commands/options.js';
import type { Length } from '../commands/present.js';
import { quoteCommand } from '../commands/quote.js';
import type { Reply } from '../reply/reply.js';
import type { Command, CommandInput, CommandServices, OptionSpec } from '../commands/types.js';
import { loadConfig, type Config } from '../config/config.js';
import type { Library, LibraryEntry, QuoteHit } from '../library/library.js';
import type { Running } from '../app.js';
import { BriefbotError, describeError, isBriefbotError } from '../errors.js';
import { createLogger } from '../logging/logger.js';
import { renderText } from '../render/text.js';
import { createProgress, progressCallback } from '../util/progress.js';

/**
 * The `briefbot` command line. Exit codes: 0 success, 1 failure (one line on stderr, no stack
 * trace), 2 usage error.
 *
 * `brief`, `quote` and `articles` run the chat's own commands (src/commands): the same declared
 * options, checked by the same validator, with the same defaults, and the same reply rendered as
 * terminal text; their flags and help are generated from the declarations. What the command line
 * adds is its own way in (an article file, a URL or standard input for `brief`), `--json` (the
 * data behind the reply) and `--points`. They read the bot's store when there is one, read-only
 * and without its lock so they work while the bot runs, and otherwise the briefings folder, with
 * briefings kept in a cache beside the store so each article is briefed once (see openCliLibrary).
 *
 * Nothing here runs on import: bin.ts runs the command line, and tests call main() or runCli()
 * in-process with their own streams, environment and working directory (CliIo).
 */

/** What a run of the command line reads and writes: the process's own, or a test's. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * The io of the run in progress. Held per asynchronous call chain rather than passed down, so two
 * in-process runs at once (tests) each write to their own streams, and helpers that print (help,
 * write) need no io parameter.
 */
const running = new AsyncLocalStorage<CliIo>();

function io(): CliIo {
  return running.getStore() ?? processIo();
}

/** A path as the run's working directory means it (relative paths are the user's, not the process's). */
function inCwd(path: string): string {
  const { cwd } = io();
  return isAbsolute(path) || path === ':memory:' || resolve(cwd) === process.cwd() ? path : join(cwd, path);
}

/** Every command, for the messages that list them. */
const COMMAND_NAMES = 'start, brief, read, quote, articles, stories, backup, rebrief, help';

const HELP: Record<string, string> = {
  main: `briefbot: news briefings in Discord, Slack and your terminal

Usage:
  briefbot start [--console]          run the bot (the console chat when no platform tokens are set)
  briefbot brief <file|id|-> [options] brief one article
  briefbot brief <url> [options]      fetch a news page and brief its article
  briefbot brief --jsonl [file]       brief JSON Lines, one briefing or error per line, on every core
  briefbot read <file|url|-> [--json] the article as briefbot reads it: metadata and body text
  briefbot quote <query> [options]    find quotes across the briefings
  briefbot articles [query] [options] list the briefings, newest first, a page at a time
  briefbot stories --jsonl [file]     group JSON Lines articles into stories, one { id, story } per line
  briefbot backup <file>              copy the bot's store to <file> (safe while it runs)
  briefbot rebrief                    re-brief the store's briefings made by an older engine
  briefbot help [command]             help for a command

Run "briefbot <command> --help" for a command's options.`,
  start: `Usage: briefbot start [--console]

Starts every platform whose credentials are complete (see .env.example). With none, or with
--console, opens the console chat on the briefings folder: type /brief, /quote <name>,
/articles, /digest now, /help. With piped input it answers each line and exits at the end.`,
  read: `Usage: briefbot read <file|url|-> [--json]

Shows the article the way the briefing reads it: the same reader, the same cleaning.

  <file>            a saved web page (.html, or any file that starts like one), or a .md, .txt
                    or .json article file
  <url>             a news page (https://...), fetched with briefbot's limits, as brief does
  -                 a page or an article from standard input
  --json            print { title, byline, published, outlet, url, standfirst, text } (null
                    when the page does not say); text is the body, paragraphs separated by a
                    blank line

From a web page, briefbot keeps the article's body and leaves out captions, photo credits,
gallery counters, date lines, bylines, share and newsletter notices, related links and hover
cards. The standfirst (the summary under the headline) is kept apart from the body. The byline,
date and outlet come from the page's own metadata and are shown only when they are a name, a
date and the site's name.`,
  stories: `Usage: briefbot stories --jsonl [file] > stories.jsonl

Groups articles about the same event into stories, with the engine the bot uses. Reads JSON Lines
records { "id", "title"?, "text", "published"?, "outlet"?, "url"? } from the file (or standard
input) in their order of arrival, and writes { "id", "story" } per line in input order; the story
is the id of the article that started it. Wire copies and reprints join their original's story.
Other fields are ignored, so a labelled set can be grouped as it is and scored with
npm run eval -- stories <file>, which runs the same grouping.

A bad line (not JSON, no "id" or "text", a "published" that is not a date, an id seen before)
stops the run with its line number before anything is written: every story can depend on the
articles before it, so a grouping with a line left out is not the grouping of the file.`,
  backup: `Usage: briefbot backup <file>

Writes a consistent copy of the store (DATABASE_PATH, default data/briefbot.db) to <file> with
SQLite's online backup API. Safe while the bot runs: it reads one snapshot and the bot goes on
writing. The copy is checked (PRAGMA integrity_check) before it is put in place, and an existing
file is never overwritten. To restore: stop the bot, move the store and its -wal and -shm files
aside, and copy the backup to the store's path.`,
  rebrief: `Usage: briefbot rebrief

Re-briefs, in the foreground, every briefing in the store (DATABASE_PATH, default data/briefbot.db)
made by an older engine or schema, or found invalid, newest first, and prints how many. The bot
does the same in the background at every start; this is for a store whose bot is stopped. A
briefing whose article was never kept (stored before briefings were versioned, from a feed) is
kept as it is.`,
};

class UsageError extends BriefbotError {
  constructor(message: string) {
    super('usage', message);
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(describeError(error).replace(/^TypeError \[\w+\]: /, ''));
  }
}

/** The configuration as `briefbot start` would read it in the run's directory and environment, its paths in that directory. */
function loadCliConfig(): Config {
  const { env, cwd } = io();
  const config = loadConfig({ env, dir: resolve(cwd, env.BRIEFBOT_CONFIG_DIR ?? 'config') });
  return {
    ...config,
    briefings: { ...config.briefings, dir: inCwd(config.briefings.dir), folders: config.briefings.folders.map(inCwd) },
    store: { ...config.store, path: inCwd(config.store.path) },
  };
}

/** A flag of the command line's own, beside those generated from a command's declaration. */
interface OwnFlag {
  type: 'string' | 'boolean';
  /** The value's name in help (`--points N`); none for a boolean. */
  value?: string;
  help: string;
}

/** A chat command as the command line runs it. */
interface CliCommand<Data> {
  command: Command<Data>;
  /** The usage lines; the option list under them is generated from the declaration and `flags`. */
  usage: string;
  /** Help lines for what the words after the command may be, besides the declared option they fill. */
  positionals: ReadonlyArray<readonly [string, string]>;
  flags: Record<string, OwnFlag>;
  /** What --json prints: the data behind the reply, in the shape the command line has always printed. */
  json(data: Data): unknown;
  /** The paragraph after the options. */
  notes: string;
}

const JSON_FLAG: OwnFlag = { type: 'boolean', help: 'print the answer as JSON instead of text' };

/** Where quote, articles and brief <id> read from, for their help. */
const READS = `Reads the bot's store (DATABASE_PATH, default data/briefbot.db) when there is one, read-only
and safe while the bot runs; otherwise the briefings folder (BRIEFINGS_DIR), each article briefed
once and kept in data/briefings-cache.db beside the store.`;

const BRIEF: CliCommand<LibraryEntry> = {
  command: briefCommand,
  usage: `Usage: briefbot brief [article|file|url|-] [options]
       briefbot brief --jsonl [file] [--jobs N] > briefings.jsonl`,
  positionals: [
    ['<file>', 'a .md (YAML front matter), .txt or .json article file, or a saved web page'],
    ['<url>', "a news page (https://...): fetched with briefbot's limits (timeouts, 5 MB, 5 redirects, no private or internal addresses unless config fetch.allow names them), its article found with Readability, then briefed"],
    ['-', 'read one article from standard input'],
  ],
  flags: {
    json: { type: 'boolean', help: 'print the briefing as JSON (the schema exported by the briefing module)' },
    points: { type: 'string', value: 'N', help: 'exactly N key points (1 to 5): the article is briefed again from its file' },
    jsonl: {
      type: 'boolean',
      help: 'read JSON Lines records { "id"?, "title"?, "text", "url"?, "published"?, "author"? } from the file or standard input and write one briefing, or { "id", "error" }, per line; a bad line does not stop the batch',
    },
    jobs: { type: 'string', value: 'N', help: 'with --jsonl: brief in N worker threads (default: one per core; 1 briefs in this thread); the output is the same, in input order, whatever N' },
  },
  json: (entry) => BriefingSchema.parse(entry.briefing),
  notes: `With no article, the latest. The words after brief are read as in chat: "briefbot brief north
korea full" is /brief north korea full. ${READS}`,
};

const QUOTE: CliCommand<QuoteHit[]> = {
  command: quoteCommand,
  usage: 'Usage: briefbot quote <query> [options]',
  positionals: [],
  flags: { json: JSON_FLAG },
  json: (hits) => hits,
  notes: `Finds quotes across every briefing, by words of the quote or by the speaker's name
(case-insensitive; a surname is enough: "zelensky" finds Volodymyr Zelensky); the best five, as
/quote shows them. ${READS}`,
};

const ARTICLES: CliCommand<ArticlesPage> = {
  command: articlesCommand,
  usage: 'Usage: briefbot articles [query] [options]',
  positionals: [],
  flags: { json: { type: 'boolean', help: 'print the page as JSON: [{ id, title, published, tldr, source }]' } },
  json: (page) => page.items.map((e) => ({ id: e.briefing.id, title: e.briefing.title, published: e.briefing.byline.published, tldr: e.briefing.tldr, source: e.source })),
  notes: `Lists the briefings newest first, ten to a page, as /articles does. ${READS}`,
};

/** The commands the command line shares with chat, by name. */
const SHARED: Record<string, Omit<CliCommand<unknown>, 'json'>> = { brief: BRIEF, quote: QUOTE, articles: ARTICLES };

/** Lines of `  <name>  text`, the text wrapped to the terminal's customary width. */
function helpLines(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = 18;
  const lines: string[] = [];
  for (const [name, text] of rows) {
    const words = text.split(' ');
    let line = `  ${name}`.padEnd(width) + (name.length + 2 >= width ? ' ' : '');
    let fresh = true;
    for (const word of words) {
      if (!fresh && line.length + 1 + word.length > 96) {
        lines.push(line);
        line = ' '.repeat(width);
        fresh = true;
      }
      line += (fresh ? '' : ' ') + word;
      fresh = false;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function declaredFlagHelp(spec: OptionSpec): readonly [string, string] {
  const range = spec.choices ? ` (${spec.choices.join(', ')})` : spec.type === 'integer' && spec.min !== undefined && spec.max !== undefined ? ` (${spec.min} to ${spec.max})` : '';
  return [`--${spec.name} ${spec.name.toUpperCase()}`, `${spec.description}${range}`];
}

/** A shared command's help: its usage, what the words after it fill, and every flag, the declared ones first. */
function sharedHelp(cli: Omit<CliCommand<unknown>, 'json'>): string {
  const free = cli.command.options.find((o) => !o.choices && o.type === 'string');
  const rows: Array<readonly [string, string]> = [];
  if (free) rows.push([`<${free.name}>`, `${free.description}${free.required ? '' : ' (optional)'}`]);
  rows.push(...cli.positionals, ...cli.command.options.map(declaredFlagHelp));
  for (const [name, flag] of Object.entries(cli.flags)) rows.push([`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.help]);
  return `${cli.usage}\n\n${helpLines(rows)}\n\n${cli.notes}`;
}

/** parseArgs options for a shared command: one string flag per declared option, then its own flags. */
function flagsOf(cli: Omit<CliCommand<unknown>, 'json'>): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of cli.command.options) options[spec.name] = { type: 'string' };
  for (const [name, flag] of Object.entries(cli.flags)) options[name] = { type: flag.type };
  return options;
}

/**
 * The command's raw options from what was typed: the words after the command read exactly as
 * chat reads the text after `/name` (parseTextArguments: `name:value`, a choice word, the rest
 * filling the free-text options), then the flags. One option given both ways is a usage error.
 */
function rawOptionsOf(command: Command<unknown>, positionals: string[], values: Record<string, string | boolean | undefined>): RawOptions {
  // Words the shell kept together stay together.
  const text = positionals.map((word) => (/\s/.test(word) && !word.includes('"') ? `"${word}"` : word)).join(' ');
  const parsed = parseTextArguments(command, text);
  if (!parsed.ok) throw new UsageError(parsed.message);
  const raw: RawOptions = { ...parsed.parsed.raw };
  for (const spec of command.options) {
    const flag = values[spec.name];
    if (typeof flag !== 'string') continue;
    if (raw[spec.name] !== undefined) throw new UsageError(`${spec.name} is given twice: "${String(raw[spec.name])}" and --${spec.name} "${flag}"`);
    raw[spec.name] = flag;
  }
  return raw;
}

/** Checks options against the command's declaration with chat's own validator; a problem is a usage error. */
function inputOf(command: Command<unknown>, raw: RawOptions): CommandInput {
  const checked = validateOptions(command.options, raw);
  if (!checked.ok) throw new UsageError(checked.message);
  // The terminal is the console surface: one person, their own machine.
  return { options: checked.values, platform: 'console', user: { id: 'cli', canManageChannel: false }, channel: { id: 'cli' } };
}

/** The library the shared commands read, and what to release when they are done. */
interface CliLibrary {
  library: Library;
  close(): void;
}

/** Where the command line keeps the briefings it makes from the briefings folder: beside the store. */
export function briefingCachePath(storePath: string): string {
  return join(dirname(storePath), 'briefings-cache.db');
}

/**
 * The bot's store when there is one, else the briefings folder.
 *
 * The store is opened read-only and without its one-process lock: the lock keeps a second writer
 * out, and a query from the command line must work beside a running bot (it reads the last
 * committed snapshot under WAL, as `briefbot backup` does). It holds everything the bot has:
 * the folder's articles, feeds' items, briefed links.
 *
 * Without a store, the folders are read as the bot reads them, into an in-memory library, and
 * every article is briefed through a cache kept beside the store (store/briefing-cache.ts): the
 * first call briefs the folder, later calls brief only what changed. A cache that cannot be
 * opened (a read-only disk) costs only time.
 */
async function openCliLibrary(config: Config): Promise<CliLibrary> {
  const logger = createLogger({ level: 'error' });
  if (existsSync(config.store.path)) {
    const [{ openStoreReadOnly }, { createSqliteLibrary }] = await Promise.all([import('../store/store.js'), import('../library/sqlite-library.js')]);
    const store = openStoreReadOnly(config.store.path);
    try {
      return { library: createSqliteLibrary(store), close: () => store.close() };
    } catch (error) {
      store.close();
      throw error;
    }
  }
  const [{ createMemoryLibrary }, { loadBriefingsFolder }, { engineFingerprint, openBriefingCache }] = await Promise.all([
    import('../library/memory-library.js'),
    import('../ingest/briefings-folder.js'),
    import('../store/briefing-cache.js'),
  ]);
  let cache: ReturnType<typeof openBriefingCache> | undefined;
  if (config.store.path !== ':memory:') {
    try {
      cache = openBriefingCache(briefingCachePath(config.store.path), { brief: (article) => createBriefing(article), engine: engineFingerprint() });
    } catch (error) {
      logger.debug({ err: error }, 'briefing cache unavailable; briefing without it');
    }
  }
  const library = createMemoryLibrary();
  try {
    for (const dir of [config.briefings.dir, ...config.briefings.folders]) {
      await loadBriefingsFolder(dir, library, logger.child({ component: 'briefings-folder' }), cache ? { brief: (article) => cache.brief(article) } : {});
    }
  } catch (error) {
    cache?.close();
    throw error;
  }
  return { library, close: () => cache?.close() };
}

/** Slash-command hints in a reply, as a shell user types them: "/articles korea page:2" is "briefbot articles korea page:2". */
function forTerminal(reply: Reply): Reply {
  const hints = (text: string): string => text.replace(/(^|[\s(])\/(brief|quote|articles|help)\b/g, '$1briefbot $2');
  return {
    ...reply,
    ...(reply.text !== undefined ? { text: hints(reply.text) } : {}),
    cards: reply.cards.map((card) => (card.footer !== undefined ? { ...card, footer: hints(card.footer) } : card)),
  };
}

/** Prints a reply as terminal text; a reply that reports a problem is one line on stderr and exit 1. */
function show(reply: Reply): void {
  const terminal = forTerminal(reply);
  if (reply.error) {
    const text = terminal.text ?? 'nothing to show';
    throw new BriefbotError('not-found', /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
  }
  write(renderText(terminal, { commandPrefix: 'briefbot ' }));
}

/** Standard input up to `limit` bytes: an endless or huge input fails after the limit instead of filling memory. */
async function readStdin(limit: number, limits: string): Promise<Buffer> {
  const { bytes, overLimit } = await readStreamBounded(io().stdin, limit);
  if (overLimit) throw new BriefbotError('too-large', `standard input is over ${formatBytes(limit)}; ${limits}`);
  return bytes;
}

function write(text: string): void {
  io().stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function parsePoints(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new UsageError(`--points must be a whole number from 1 to 5, got "${String(value)}"`);
  return n;
}

/** The batch lives in brief-jsonl.ts (and its worker threads); loaded only for --jsonl. */
async function briefJsonlCommand(positionals: string[], points: number | undefined, jobsValue: unknown): Promise<number> {
  const { briefJsonl, defaultJobs, MAX_JOBS } = await import('./brief-jsonl.js');
  const jobs = jobsValue === undefined ? defaultJobs() : Number(jobsValue);
  if (jobsValue !== undefined && (!/^\d+$/.test(String(jobsValue)) || jobs < 1 || jobs > MAX_JOBS)) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, got "${String(jobsValue)}"`);
  if (positionals.length > 1) throw new UsageError('brief --jsonl takes one JSON Lines file (or none, for standard input)');
  const { stdin, stdout, stderr } = io();
  const path = positionals[0] === undefined || positionals[0] === '-' ? positionals[0] : inCwd(positionals[0]);
  return briefJsonl({ path, points, jobs, stdin, stdout, stderr });
}

/** `stories --jsonl [file]`: the grouping lives in stories-jsonl.ts, loaded only for this command. */
async function commandStories(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { jsonl: { type: 'boolean' } });
  if (values.help) return help('stories');
  if (!values.jsonl) throw new UsageError('stories reads JSON Lines: briefbot stories --jsonl [file]');
  if (positionals.length > 1) throw new UsageError('stories --jsonl takes one JSON Lines file (or none, for standard input)');
  const { storiesJsonl } = await import('./stories-jsonl.js');
  const { stdin, stdout } = io();
  const path = positionals[0] === undefined || positionals[0] === '-' ? positionals[0] : inCwd(positionals[0]);
  return storiesJsonl({ path, stdin, stdout });
}

/** Fetches a page the safe way (config's allow-list and limits) and finds its article; loaded only when asked. */
async function fetchArticle(url: string): Promise<Article> {
  const [{ createFetcherFromConfig }, { fetchPageArticle }] = await Promise.all([import('../ingest/create-ingestion.js'), import('../ingest/fetch-page.js')]);
  const fetcher = createFetcherFromConfig(loadCliConfig().fetch);
  return (await fetchPageArticle(fetcher, url)).article;
}

/**
 * `brief`: an article file, a URL or standard input is the command line's own way in, briefed
 * there and shown as the same card /brief shows; anything else (an id, title words, nothing for
 * the latest) goes to the /brief command itself, over the library.
 */
async function commandBrief(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, flagsOf(BRIEF));
  if (values.help) return help('brief');
  const points = parsePoints(values.points);
  if (values.jsonl) return briefJsonlCommand(positionals, points, values.jobs);
  if (values.jobs !== undefined) throw new UsageError('--jobs applies to --jsonl batches only');
  const own = typeof values.url === 'string' ? values.url : positionals.length === 1 && isOwnTarget(positionals[0]!) ? positionals[0]! : undefined;
  if (own !== undefined) {
    if (typeof values.article === 'string' || (typeof values.url === 'string' && positionals.length > 0)) throw new UsageError('brief takes one article at a time (use --jsonl for many)');
    if (/\.jsonl$/i.test(own)) throw new UsageError(`${own} holds JSON Lines: use briefbot brief --jsonl ${own}`);
    const { length } = inputOf(briefCommand, typeof values.length === 'string' ? { length: values.length } : {}).options;
    const article = await readTarget(own);
    const briefing = createBriefing(article, points !== undefined ? { points } : {});
    const entry: LibraryEntry = { briefing, ingestedAt: new Date().toISOString(), contentHash: '', source: own };
    if (values.json) write(JSON.stringify(BRIEF.json(entry), null, 2));
    // No buttons: the article is not in the library, so "briefbot brief <id> full" would not find it.
    else show({ ...briefReply(entry, (length as Length | undefined) ?? 'short'), buttons: [] });
    return 0;
  }
  const input = inputOf(briefCommand, rawOptionsOf(briefCommand, positionals, values));
  if (points === undefined) return runShared(BRIEF, input, Boolean(values.json));
  // --points briefs the article again from its file: what the library keeps was briefed with the default.
  return withLibrary(async (services) => {
    const found = await briefCommand.data!(input, services);
    if ('refusal' in found) return show(found.refusal);
    const entry = { ...found.value, briefing: createBriefing(await articleOfEntry(found.value), { points }) };
    if (values.json) write(JSON.stringify(BRIEF.json(entry), null, 2));
    else show(briefReply(entry, (input.options.length as Length | undefined) ?? 'short'));
  });
}

/** Whether brief's one word is the command line's own way in: standard input, a URL, or a file that exists. */
function isOwnTarget(word: string): boolean {
  return word === '-' || /^https?:\/\//i.test(word) || existsSync(inCwd(word));
}

/** The article a library entry was briefed from, read again from its file (a JSON Lines record by its line). */
async function articleOfEntry(entry: LibraryEntry): Promise<Article> {
  const source = entry.source ?? '';
  const file = source.replace(/:\d+$/, '');
  if (!source || !existsSync(file)) throw new BriefbotError('not-found', `--points briefs the article again from its file, and ${entry.briefing.id} has none here (it came from ${source || 'nowhere known'})`);
  const { readArticleUnits } = await import('../ingest/briefings-folder.js');
  const unit = (await readArticleUnits(file)).find((u) => u.source === source || (source === file && u.source === file));
  if (!unit?.article) throw new BriefbotError('not-found', `${source} no longer holds the article ${entry.briefing.id}`);
  return { ...unit.article, id: entry.briefing.id };
}

/** Runs a shared command over the library: its data as JSON, or its reply as terminal text. */
async function runShared<Data>(cli: CliCommand<Data>, input: CommandInput, json: boolean): Promise<number> {
  return withLibrary(async (services) => {
    if (!json) return show(await cli.command.run(input, services));
    const found = await cli.command.data!(input, services);
    if ('refusal' in found) return show(found.refusal);
    write(JSON.stringify(cli.json(found.value), null, 2));
  });
}

/** Opens the library for one command and closes it after, whatever happens. */
async function withLibrary(use: (services: CommandServices) => Promise<void>): Promise<number> {
  const { library, close } = await openCliLibrary(loadCliConfig());
  try {
    await use({ library, logger: createLogger({ level: 'error' }), now: () => new Date() });
  } finally {
    close();
  }
  return 0;
}

/** Reads one article for `read`: a page is found in HTML (from a file, standard input or the web), anything else by its format. */
async function readTarget(target: string): Promise<Article> {
  const [{ articleFromHtmlBytes, bytesLookLikeHtml }, { DEFAULT_MAX_BYTES }] = await Promise.all([import('../ingest/extract-html.js'), import('../net/safe-fetch.js')]);
  if (target === '-') {
    const bytes = await readStdin(DEFAULT_MAX_BYTES, `pages are limited to ${formatBytes(DEFAULT_MAX_BYTES)} and other articles to ${formatBytes(MAX_ARTICLE_BYTES)}`);
    if (bytesLookLikeHtml(bytes)) return articleFromHtmlBytes(bytes, 'standard input').article;
    return readArticleText(decodeArticleBytes(bytes, 'standard input'), 'stdin');
  }
  if (/^https?:\/\//i.test(target)) return fetchArticle(target);
  if (/\.jsonl$/i.test(target)) throw new UsageError(`${target} holds JSON Lines: read takes one article (briefbot brief --jsonl ${target} briefs them all)`);
  const path = inCwd(target);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return loadArticleFile(path);
  let page = /\.x?html?$/i.test(target);
  if (!page) {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      page = bytesLookLikeHtml(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }
  if (!page) return loadArticleFile(path);
  const { bytes, overLimit, size } = await readFileBounded(path, DEFAULT_MAX_BYTES, { noun: 'a page file' });
  if (overLimit) throw new BriefbotError('too-large', `${basename(target)} is ${formatBytes(size)}; pages are limited to ${formatBytes(DEFAULT_MAX_BYTES)}`);
  return articleFromHtmlBytes(bytes, basename(target)).article;
}

async function commandRead(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help('read');
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'read needs an article: a file, a URL, or - for standard input' : 'read takes one article at a time');
  const article = await readTarget(positionals[0]!);
  const fields = {
    title: article.title,
    byline: article.author ?? null,
    published: article.published ?? null,
    outlet: article.outlet ?? null,
    url: article.url ?? null,
    standfirst: article.standfirst ?? null,
    text: articleText(article),
  };
  if (values.json) {
    write(JSON.stringify(fields, null, 2));
    return 0;
  }
  const head = (['title', 'byline', 'published', 'outlet', 'url', 'standfirst'] as const).filter((k) => fields[k] !== null).map((k) => `${k}: ${fields[k]}`);
  write(`${head.join('\n')}\n\n${fields.text}`);
  return 0;
}

async function commandQuote(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, flagsOf(QUOTE));
  if (values.help) return help('quote');
  return runShared(QUOTE, inputOf(quoteCommand, rawOptionsOf(quoteCommand, positionals, values)), Boolean(values.json));
}

async function commandArticles(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, flagsOf(ARTICLES));
  if (values.help) return help('articles');
  return runShared(ARTICLES, inputOf(articlesCommand, rawOptionsOf(articlesCommand, positionals, values)), Boolean(values.json));
}

async function commandBackup(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help('backup');
  if (positionals.length !== 1) throw new UsageError('backup needs the file to write the copy to: briefbot backup <file>');
  // The same store as briefbot start, .env included.
  loadDotEnv();
  const config = loadConfig();
  // Said, not done on a SQLite file nobody uses: the bot's store is the database.
  if (config.store.url !== undefined) throw new BriefbotError('config', 'briefbot backup copies the SQLite store; with DATABASE_URL set the store is PostgreSQL: back it up with pg_dump --format=custom (docs/deploy.md)');
  const store = config.store.path;
  const { backupStore } = await import('../store/backup.js');
  const { destination, bytes } = await backupStore(store, positionals[0]!);
  write(`backed up ${store} to ${destination} (${formatBytes(bytes)}, integrity checked)`);
  return 0;
}

/** Re-briefs the bot's store in the foreground; a store held by a running bot is left to it. */
async function commandRebrief(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help('rebrief');
  if (positionals.length > 0) throw new UsageError('rebrief takes no arguments: it works on the store (DATABASE_PATH)');
  loadDotEnv();
  const cliConfig = loadCliConfig();
  if (cliConfig.store.url !== undefined) throw new BriefbotError('config', 'briefbot rebrief works on the SQLite store; with DATABASE_URL set the store is PostgreSQL, where re-briefing is not built yet (briefings an older engine made are served as they are)');
  const path = cliConfig.store.path;
  const [{ openStore }, { createSqliteLibrary }, { createRebriefer }] = await Promise.all([import('../store/store.js'), import('../library/sqlite-library.js'), import('../ingest/rebrief.js')]);
  let store;
  try {
    store = openStore({ path, lockWaitMs: 0 });
  } catch (error) {
    if (isBriefbotError(error) && error.code === 'unavailable') {
      throw new BriefbotError('unavailable', `${error.message.replace(/: one briefbot per store.*$/, '')}; a running bot re-briefs its store in the background by itself, so nothing needs doing (or stop it and run briefbot rebrief again)`);
    }
    throw error;
  }
  try {
    // On a terminal, stderr shows how far it has got (count, rate, time left); elsewhere nothing extra.
    const stream = io().stderr as Writable & { isTTY?: boolean; columns?: number };
    const onProgress = progressCallback((options) => createProgress({ ...options, stream }), 're-briefing');
    const summary = await createRebriefer({ library: createSqliteLibrary(store, { logger: createLogger({ level: 'warn' }) }), onProgress }).run();
    write(`re-briefed ${summary.rebriefed} of ${summary.total} out-of-date briefing${summary.total === 1 ? '' : 's'} in ${path}`);
    for (const { id, reason } of summary.kept) write(`kept ${id}: ${reason}`);
  } finally {
    store.close();
  }
  return 0;
}

async function commandStart(args: string[]): Promise<number> {
  const { values } = parse(args, { console: { type: 'boolean' } });
  if (values.help) return help('start');
  loadDotEnv();
  const config = loadCliConfig();
  const { stdin, stdout, stderr, env } = io();
  const consoleMode = Boolean(values.console);
  // In the console chat, logs stay quiet unless asked for: the chat itself is the output.
  const { planPlatforms } = await import('../platforms/index.js');
  const logger = createLogger({ level: consoleMode || planPlatforms(config).enabled.length === 0 ? (env.LOG_LEVEL ?? 'warn') : config.log.level });
  // Signals are heard from the start: one that arrives while the bot is still starting stops it
  // as soon as it is up. A stop that hangs (a library keeping a handle open) is cut short.
  const bot: { running?: Running } = {};
  let stopRequested = false;
  const stop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    setTimeout(() => {
      stderr.write('briefbot: shutdown took too long; exiting\n');
      process.exit(1);
    }, STOP_BACKSTOP_MS).unref();
    void bot.running?.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const { startBriefbot } = await import('../app.js');
  const running = await startBriefbot({ config, logger, forceConsole: consoleMode, input: stdin, output: stdout });
  bot.running = running;
  if (stopRequested) void running.stop();
  await running.done;
  return 0;
}

/** How long a shutdown may take before the process exits anyway (the platforms' own budget is 10 s). */
const STOP_BACKSTOP_MS = 20_000;

/** Reads `.env` from the working directory when there is one (Node's own parser; no dependency); a variable already set wins. */
function loadDotEnv(): void {
  const { cwd, env } = io();
  const path = resolve(cwd, '.env');
  if (!existsSync(path)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) if (env[key] === undefined) env[key] = value;
}

function help(topic = 'main'): number {
  const shared = SHARED[topic];
  const text = shared ? sharedHelp(shared) : HELP[topic];
  if (!text) throw new UsageError(`no command "${topic}" (commands: ${COMMAND_NAMES})`);
  write(text);
  return 0;
}

/** Runs one command line with the given io; a failure is thrown (runCli turns it into words and an exit code). */
export async function main(argv: string[], cliIo: CliIo = processIo()): Promise<number> {
  return running.run(cliIo, () => dispatch(argv));
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io().stderr.write(HELP.main + '\n');
      return 2;
    case '--help':
    case '-h':
    case 'help':
      return help(rest[0]);
    case '--version':
    case '-v':
      write((await import('../version.js')).VERSION);
      return 0;
    case 'start':
      return commandStart(rest);
    case 'brief':
      return commandBrief(rest);
    case 'read':
      return commandRead(rest);
    case 'quote':
      return commandQuote(rest);
    case 'articles':
      return commandArticles(rest);
    case 'stories':
      return commandStories(rest);
    case 'backup':
      return commandBackup(rest);
    case 'rebrief':
      return commandRebrief(rest);
    default:
      throw new UsageError(`unknown command "${command}" (commands: ${COMMAND_NAMES})`);
  }
}

/** Runs the command line, turning any failure into one line on stderr; resolves to the exit code. */
export async function runCli(argv: string[], cliIo: CliIo = processIo()): Promise<number> {
  try {
    return await main(argv, cliIo);
  } catch (error) {
    const usage = isBriefbotError(error) && error.code === 'usage';
    cliIo.stderr.write(`briefbot: ${isBriefbotError(error) && error.code === 'config' ? error.message : describeError(error)}\n`);
    if (usage) cliIo.stderr.write('Run "briefbot --help" for usage.\n');
    if (cliIo.env.BRIEFBOT_DEBUG && error instanceof Error) cliIo.stderr.write(`${error.stack}\n`);
    return usage ? 2 : 1;
  }
}
