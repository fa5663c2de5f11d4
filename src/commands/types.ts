import type { Logger } from 'pino';
import type { DigestPreview, DigestStatus, DigestSubscribed, DigestTarget, SubscribeOptions } from '../digest/digest-commands.js';
import type { SourceSummary } from '../ingest/feed-sources.js';
import type { Library, LibraryEntry } from '../library/library.js';
import type { PlatformName } from '../platforms/names.js';
import type { Reply } from '../reply/reply.js';
import type { StoryBook } from '../stories/story-book.js';
import type { Subscription } from '../store/subscriptions.js';

/**
 * The platform-neutral command layer: each command declares its options once, and the
 * console, Discord and Slack adapters, the Discord command definitions, the Slack manifest and
 * the help text are all derived from those declarations.
 */

/** Where a command came from: a chat platform, or the console (terminal). */
export type Platform = 'console' | PlatformName;

export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required?: boolean;
  /** Accepted values; for strings a fixed list, shown in help and as Discord choices. */
  choices?: readonly string[];
  /** Where Discord autocomplete draws suggestions from. */
  autocomplete?: 'article' | 'speaker' | 'story';
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  /** Changes state for a channel: only people who may manage the channel can run it. */
  requiresManager?: boolean;
}

export interface User {
  id: string;
  name?: string;
  /** Whether the platform says this person may manage the channel (Discord Manage Channels, Slack admin/owner or allow-list). */
  canManageChannel: boolean;
}

export interface Channel {
  id: string;
  name?: string;
  /** Discord guild or Slack team, where there is one. */
  workspace?: string;
}

/** Services a command may use; the digest service arrives with the digest scheduler. */
export interface CommandServices {
  library: Library;
  logger: Logger;
  now: () => Date;
  digest?: DigestCommands;
  /** Feed sources, for /sources; present when ingestion runs. */
  sources?: SourcesCommands;
  /** Fetches and briefs a link, for `/brief url:`; present when ingestion runs. */
  links?: LinkCommands;
  /** The stories of `library` (one book per library), for /story and for grouping /quote's versions; absent where none is kept. */
  stories?: StoryBook;
}

/** What /sources needs from ingestion (src/ingest/feed-sources.ts implements it); DigestCommands follows the same pattern. */
export interface SourcesCommands {
  list(): Promise<SourceInfo[]>;
  /** Follows a feed after polling it once; throws a BriefbotError saying why when it cannot. */
  add(url: string, addedBy: string): Promise<SourceInfo>;
  /** By list number, id or address; throws a BriefbotError when none matches or it is a config source. */
  remove(reference: string): Promise<SourceInfo>;
}

/** A feed as /sources shows it (the ingest layer's summary: one type, written once). */
export type SourceInfo = SourceSummary;

/** What `/brief url:` needs: fetch a page safely, brief it and file it in the library. */
export interface LinkCommands {
  brief(url: string): Promise<{ entry: LibraryEntry }>;
}

/**
 * What /digest needs from the digest scheduler (src/digest/digest-commands.ts implements it). The
 * same pattern as /sources: the service returns data and throws a BriefbotError saying why when it
 * refuses; the command (commands/digest.ts) puts it in words, and the command layer checks who
 * may change a channel (`requiresManager`), once, for every platform.
 */
export interface DigestCommands {
  preview(target: DigestTarget): Promise<DigestPreview>;
  subscribe(target: DigestTarget & { userId: string }, options: SubscribeOptions): Promise<DigestSubscribed>;
  /** The subscription removed, or undefined when the channel had none. */
  unsubscribe(target: DigestTarget): Promise<Subscription | undefined>;
  /** Undefined when no digest is set up in the channel. */
  status(target: DigestTarget): Promise<DigestStatus | undefined>;
}

export interface CommandInput {
  /** Validated option values. */
  options: Record<string, string | number | undefined>;
  subcommand?: string;
  platform: Platform;
  user: User;
  channel: Channel;
}

/**
 * What a command found, before it is put into words: the value its reply is made from, or the
 * reply that says why there is none ("no article matches").
 */
export type CommandData<Data> = { value: Data } | { refusal: Reply };

export interface Command<Data = unknown> {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  subcommands?: readonly SubcommandSpec[];
  /** Usage line shown in help and in usage errors, e.g. `/brief [article] [length]`. */
  usage: string;
  /** Example invocations for the help text. */
  examples?: readonly string[];
  /** Answers privately unless the command says otherwise. */
  ephemeral: boolean;
  run(input: CommandInput, services: CommandServices): Reply | Promise<Reply>;
  /**
   * The data behind `run`'s reply, for machine-readable output (the command line's --json): the
   * same lookup with the same defaults, which `run` then puts into words. Only commands that
   * answer with data have it.
   */
  data?(input: CommandInput, services: CommandServices): CommandData<Data> | Promise<CommandData<Data>>;
}

/** A button under a reply: `id` is `<command>:<action>:<argument>`. */
export interface ActionHandler {
  prefix: string;
  run(argument: string, input: Omit<CommandInput, 'options'>, services: CommandServices): Reply | Promise<Reply>;
}
