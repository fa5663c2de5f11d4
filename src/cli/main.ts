import { parseArgs, type ParseArgsConfig } from 'node:util';
import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { articleText, decodeArticleBytes, formatBytes, loadArticleFile, MAX_ARTICLE_BYTES, readArticleText, type Article } from '../articles/index.js';
import { readFileBounded, readStreamBounded } from '../util/read-bounded.js';
import { BriefingSchema, createBriefing, type Briefing } from '../briefing/index.js';
import { briefingCard, LENGTHS, quoteHitItem, articleLine, type Length } from '../commands/present.js';
import { loadConfig, type Config } from '../config/config.js';
import type { Library } from '../library/library.js';
import type { Running } from '../app.js';
import { BriefbotError, describeError, isBriefbotError } from '../errors.js';
import { createLogger } from '../logging/logger.js';
import { renderText } from '../render/text.js';

/**
 * The `briefbot` command line. Exit codes: 0 success, 1 failure (one line on stderr, no stack
 * trace), 2 usage error.
 */

const HELP: Record<string, string> = {
  main: `briefbot: news briefings in Discord, Slack and your terminal

Usage:
  briefbot start [--console]          run the bot (the console chat when no platform tokens are set)
  briefbot brief <file|id|-> [options] brief one article
  briefbot brief <url> [options]      fetch a news page and brief its article
  briefbot brief --jsonl [file]       brief JSON Lines, one briefing or error per line, on every core
  briefbot read <file|url|-> [--json] the article as briefbot reads it: metadata and body text
  briefbot quote <query> [options]    find quotes across the briefings
  briefbot articles [--json]          list the loaded briefings
  briefbot backup <file>              copy the bot's store to <file> (safe while it runs)
  briefbot rebrief                    re-brief the store's briefings made by an older engine
  briefbot help [command]             help for a command

Run "briefbot <command> --help" for a command's options.`,
  start: `Usage: briefbot start [--console]

Starts every platform whose credentials are complete (see .env.example). With none, or with
--console, opens the console chat on the briefings folder: type /brief, /quote <name>,
/articles, /digest now, /help. With piped input it answers each line and exits at the end.`,
  brief: `Usage: briefbot brief <file|id|url|-> [--json] [--length tldr|short|full] [--points N]
       briefbot brief --jsonl [file] [--jobs N] > briefings.jsonl

  <file>            a .md (YAML front matter), .txt or .json article file
  <id>              an article in the briefings folder (id, id prefix or title words)
  <url>             a news page (https://...): fetched with briefbot's limits (timeouts, 5 MB,
                    5 redirects, no private or internal addresses unless config fetch.allow
                    names them), its article found with Readability, then briefed
  -                 read one article from standard input
  --json            print the briefing as JSON (the schema exported by the briefing module)
  --length L        tldr, short (default) or full
  --points N        exactly N key points (1 to 5)
  --jsonl           read JSON Lines records { "id"?, "title"?, "text", "url"?, "published"?, "author"? }
                    from the file or standard input and write one briefing, or { "id", "error" },
                    per line; a bad line does not stop the batch
  --jobs N          with --jsonl: brief in N worker threads (default: one per core; 1 briefs in
                    this thread); the output is the same, in input order, whatever N`,
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
  quote: `Usage: briefbot quote <query> [--speaker NAME] [--article ID] [--limit N] [--json]

Finds quotes across every briefing in the briefings folder, by words of the quote or by the
speaker's name (case-insensitive; a surname is enough: "zelensky" finds Volodymyr Zelensky).`,
  articles: `Usage: briefbot articles [--query WORDS] [--json]

Lists the briefings in the briefings folder, newest first.`,
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

function loadCliConfig(): Config {
  return loadConfig();
}

/** The app (and with it the chat platforms' libraries) loads only for commands that need it, so `brief` stays lean. */
async function loadLibrary(config: Config, logger: ReturnType<typeof createLogger>): Promise<{ library: Library; failed: number }> {
  return (await import('../app.js')).loadLibrary(config, logger);
}

/** Standard input up to `limit` bytes: an endless or huge input fails after the limit instead of filling memory. */
async function readStdin(limit: number, limits: string): Promise<Buffer> {
  const { bytes, overLimit } = await readStreamBounded(process.stdin, limit);
  if (overLimit) throw new BriefbotError('too-large', `standard input is over ${formatBytes(limit)}; ${limits}`);
  return bytes;
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function parsePoints(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new UsageError(`--points must be a whole number from 1 to 5, got "${String(value)}"`);
  return n;
}

function parseLength(value: unknown): Length {
  if (value === undefined) return 'short';
  if (!LENGTHS.includes(value as Length)) throw new UsageError(`--length must be one of ${LENGTHS.join(', ')}, got "${String(value)}"`);
  return value as Length;
}

/** The batch lives in brief-jsonl.ts (and its worker threads); loaded only for --jsonl. */
async function briefJsonlCommand(positionals: string[], points: number | undefined, jobsValue: unknown): Promise<number> {
  const { briefJsonl, defaultJobs, MAX_JOBS } = await import('./brief-jsonl.js');
  const jobs = jobsValue === undefined ? defaultJobs() : Number(jobsValue);
  if (jobsValue !== undefined && (!/^\d+$/.test(String(jobsValue)) || jobs < 1 || jobs > MAX_JOBS)) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, got "${String(jobsValue)}"`);
  if (positionals.length > 1) throw new UsageError('brief --jsonl takes one JSON Lines file (or none, for standard input)');
  return briefJsonl({ path: positionals[0], points, jobs });
}

/** Fetches a page the safe way (config's allow-list and limits) and finds its article; loaded only when asked. */
async function fetchArticle(url: string): Promise<Article> {
  const [{ createFetcherFromConfig }, { fetchPageArticle }] = await Promise.all([import('../ingest/create-ingestion.js'), import('../ingest/fetch-page.js')]);
  const fetcher = createFetcherFromConfig(loadCliConfig().fetch);
  return (await fetchPageArticle(fetcher, url)).article;
}

async function commandBrief(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    jsonl: { type: 'boolean' },
    length: { type: 'string' },
    points: { type: 'string' },
    jobs: { type: 'string' },
  });
  if (values.help) return help('brief');
  const points = parsePoints(values.points);
  const length = parseLength(values.length);
  if (values.jsonl) return briefJsonlCommand(positionals, points, values.jobs);
  if (values.jobs !== undefined) throw new UsageError('--jobs applies to --jsonl batches only');
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'brief needs an article: a file, an id, or - for standard input' : 'brief takes one article at a time (use --jsonl for many)');
  const target = positionals[0]!;
  let briefing: Briefing;
  // A file, standard input or a URL is read exactly as `briefbot read` shows it: a saved web page
  // through the page reader, any other article by its format.
  if (target === '-' || /^https?:\/\//i.test(target) || existsSync(target)) {
    if (/\.jsonl$/i.test(target)) throw new UsageError(`${target} holds JSON Lines: use briefbot brief --jsonl ${target}`);
    briefing = createBriefing(await readTarget(target), points !== undefined ? { points } : {});
  } else {
    const config = loadCliConfig();
    const { library } = await loadLibrary(config, createLogger({ level: 'error' }));
    const entry = library.find(target);
    if (!entry) throw new BriefbotError('not-found', `no file or article id matches "${target}" (see briefbot articles)`);
    briefing = points !== undefined ? createBriefing(await loadArticleFile(entry.source!), { points }) : entry.briefing;
  }
  if (values.json) write(JSON.stringify(BriefingSchema.parse(briefing), null, 2));
  else write(renderText({ ephemeral: false, cards: [briefingCard(briefing, length)], buttons: [] }));
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
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) return loadArticleFile(target);
  let page = /\.x?html?$/i.test(target);
  if (!page) {
    const handle = await open(target, 'r');
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      page = bytesLookLikeHtml(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }
  if (!page) return loadArticleFile(target);
  const { bytes, overLimit, size } = await readFileBounded(target, DEFAULT_MAX_BYTES, { noun: 'a page file' });
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
  const { values, positionals } = parse(args, {
    speaker: { type: 'string' },
    article: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return help('quote');
  const query = positionals.join(' ').trim();
  if (!query && !values.speaker) throw new UsageError('quote needs words to look for, or --speaker NAME');
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be a whole number from 1 to 100');
  const { library } = await loadLibrary(loadCliConfig(), createLogger({ level: 'error' }));
  const hits = library.searchQuotes({
    ...(query ? { query } : {}),
    ...(values.speaker ? { speaker: values.speaker as string } : {}),
    ...(values.article ? { article: values.article as string } : {}),
    limit,
  });
  if (values.json) {
    write(JSON.stringify(hits, null, 2));
    return 0;
  }
  if (hits.length === 0) throw new BriefbotError('not-found', `no quotes match "${query || values.speaker}"`);
  for (const hit of hits) write(`• ${quoteHitItem(hit)}`);
  return 0;
}

async function commandArticles(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' }, query: { type: 'string' } });
  if (values.help) return help('articles');
  const { library } = await loadLibrary(loadCliConfig(), createLogger({ level: 'error' }));
  const { items } = library.list({ limit: 100_000, ...(values.query ? { query: values.query as string } : {}) });
  if (values.json) {
    write(JSON.stringify(items.map((e) => ({ id: e.briefing.id, title: e.briefing.title, published: e.briefing.byline.published, tldr: e.briefing.tldr, source: e.source })), null, 2));
  } else if (items.length === 0) {
    write('No articles loaded.');
  } else {
    for (const entry of items) write(articleLine(entry));
  }
  return 0;
}

async function commandBackup(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help('backup');
  if (positionals.length !== 1) throw new UsageError('backup needs the file to write the copy to: briefbot backup <file>');
  // The same store as briefbot start, .env included.
  loadDotEnv();
  const store = loadConfig().store.path;
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
  const path = loadConfig().store.path;
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
    const summary = await createRebriefer({ library: createSqliteLibrary(store, { logger: createLogger({ level: 'warn' }) }) }).run();
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
  const config = loadConfig();
  const consoleMode = Boolean(values.console);
  // In the console chat, logs stay quiet unless asked for: the chat itself is the output.
  const logger = createLogger({ level: consoleMode || !hasPlatformCredentials() ? (process.env.LOG_LEVEL ?? 'warn') : config.log.level });
  // Signals are heard from the start: one that arrives while the bot is still starting stops it
  // as soon as it is up. A stop that hangs (a library keeping a handle open) is cut short.
  const bot: { running?: Running } = {};
  let stopRequested = false;
  const stop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    setTimeout(() => {
      process.stderr.write('briefbot: shutdown took too long; exiting\n');
      process.exit(1);
    }, STOP_BACKSTOP_MS).unref();
    void bot.running?.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const { startBriefbot } = await import('../app.js');
  const running = await startBriefbot({ config, logger, forceConsole: consoleMode });
  bot.running = running;
  if (stopRequested) void running.stop();
  await running.done;
  return 0;
}

/** How long a shutdown may take before the process exits anyway (the platforms' own budget is 10 s). */
const STOP_BACKSTOP_MS = 20_000;

function hasPlatformCredentials(): boolean {
  const e = process.env;
  return Boolean(e.DISCORD_TOKEN || e.DISCORD_APPLICATION_ID || e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN);
}

/** Reads `.env` from the working directory when there is one (Node's own loader; no dependency). */
function loadDotEnv(): void {
  const path = resolve('.env');
  if (existsSync(path)) process.loadEnvFile(path);
}

function help(topic = 'main'): number {
  const text = HELP[topic];
  if (!text) throw new UsageError(`no command "${topic}" (commands: start, brief, quote, articles, read, backup, help)`);
  write(text);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(HELP.main + '\n');
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
    case 'backup':
      return commandBackup(rest);
    case 'rebrief':
      return commandRebrief(rest);
    default:
      throw new UsageError(`unknown command "${command}" (commands: start, brief, quote, articles, read, backup, help)`);
  }
}

/** Runs the command line, turning any failure into one line on stderr and an exit code. */
export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const usage = isBriefbotError(error) && error.code === 'usage';
    process.stderr.write(`briefbot: ${isBriefbotError(error) && error.code === 'config' ? error.message : describeError(error)}\n`);
    if (usage) process.stderr.write('Run "briefbot --help" for usage.\n');
    if (process.env.BRIEFBOT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    code = usage ? 2 : 1;
  }
  process.exitCode = code;
}

await runCli(process.argv.slice(2));
