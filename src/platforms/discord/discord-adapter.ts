import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  MessageFlags,
  Options,
  PermissionFlagsBits,
  Status,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type CloseEvent,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import { errorReply, runAction, runCommand, type OptionSpec, type Reply } from '../../commands/index.js';
import { actionLabel, outcomeOf, type Invocation, type Outcome } from '../../commands/run.js';
import type { Config } from '../../config/config.js';
import { BriefbotError, describeError } from '../../errors.js';
import type { PlatformHealth } from '../../http/server.js';
import { renderDiscord, type DiscordMessage } from './render.js';
import { discordShardOptions } from './shards.js';
import { drain } from '../../util/drain.js';
import type { AdapterOptions } from '../platform.js';

/**
 * Discord through discord.js: slash commands, autocomplete and buttons routed into the
 * platform-neutral command layer, replies rendered by `renderDiscord`. The adapter decides only
 * Discord things: when to defer, which replies are ephemeral, who may manage a channel.
 */

export interface DiscordAdapterOptions extends AdapterOptions {
  /**
   * Reply directly when the answer is ready within this time, otherwise defer first. Discord
   * gives 3 s for the first answer; deferring at 0.75 s leaves room for a rate-limited or
   * retried callback.
   */
  deferAfterMs?: number;
  /** How long start() waits for the gateway to become ready. */
  readyTimeoutMs?: number;
}

export interface DiscordAdapter {
  readonly client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): PlatformHealth;
}

export const DEFAULT_DEFER_AFTER_MS = 750;
const AUTOCOMPLETE_LIMIT = 25;
const CHOICE_LENGTH = 100;

/**
 * Only the Guilds intent, no pings, and caches capped so memory does not grow with the number
 * of people who use the bot. Guilds, their channels and roles stay cached: discord.js does not
 * support limiting those, and permission checks need them.
 */
export function discordClientOptions(config: Config): ClientOptions {
  const isSelf = (id: string, client: Client): boolean => id === client.user?.id;
  return {
    ...discordShardOptions(config.discord.shards),
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.discord.apiUrl, retries: 3, timeout: 10_000 },
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      GuildScheduledEventManager: 0,
      EntitlementManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      GuildForumThreadManager: 0,
      GuildTextThreadManager: 0,
      VoiceStateManager: 0,
      // Members and users arrive with every interaction; none is needed after it is answered.
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => isSelf(member.id, member.client) },
      UserManager: { maxSize: 0, keepOverLimit: (user) => isSelf(user.id, user.client) },
    }),
    sweepers: { ...Options.DefaultSweeperSettings },
  };
}

/** Option values as the command layer takes them: `{ name: value }`, subcommands unwrapped. */
export function optionValues(data: readonly CommandInteractionOption[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of data) {
    if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
      Object.assign(values, optionValues(option.options ?? []));
    } else {
      values[option.name] = option.value;
    }
  }
  return values;
}

function cutChoice(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= CHOICE_LENGTH ? flat : `${flat.slice(0, CHOICE_LENGTH - 1).trimEnd()}…`;
}

function replyOptions(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: { parse: [] },
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function editOptions(message: DiscordMessage): InteractionEditReplyOptions {
  return { content: message.content ?? null, embeds: message.embeds, components: message.components, allowedMentions: { parse: [] } };
}

/** One shard's gateway status in the words of /healthz. */
function shardState(status: Status): PlatformHealth['status'] {
  if (status === Status.Ready) return 'up';
  if (status === Status.Disconnected || status === Status.Idle) return 'down';
  return 'reconnecting';
}

/** Why the gateway refused a shard, in words that point at the setting to change. */
export function shardRefusal(code: number, shardId: number, shardCount: number | 'auto' | undefined): string {
  if (code === GatewayCloseCodes.InvalidShard) {
    return `the gateway refused shard ${shardId} of ${shardCount} (4010 Invalid shard): check DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT`;
  }
  if (code === GatewayCloseCodes.ShardingRequired) {
    return `the gateway requires more shards (4011 Sharding required): the bot is in too many servers for ${shardCount} shard(s); set DISCORD_SHARD_COUNT (or auto)`;
  }
  return `the gateway closed shard ${shardId} with code ${code}`;
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config, commands, actions, services, metrics } = options;
  const log = options.logger.child({ component: 'discord' });
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const client = new Client(discordClientOptions(config));
  const inflight = new Set<Promise<void>>();
  let state: PlatformHealth['status'] = 'stopped';
  let lastError: string | undefined;
  let stopping: Promise<void> | undefined;

  const setState = (next: PlatformHealth['status']): void => {
    state = next;
    metrics.setPlatformUp('discord', next === 'up');
  };

  const known = (name: string): string => (commands.some((c) => c.name === name) ? name : 'unknown');

  function invocationOf(interaction: ChatInputCommandInteraction | ButtonInteraction): Invocation {
    // Manage Channels as Discord resolved it for this member in this channel (Administrator implies it).
    // In a DM there is nobody else to protect: the person manages their own conversation.
    const canManageChannel = interaction.inGuild() ? (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false) : true;
    return {
      platform: 'discord',
      user: { id: interaction.user.id, name: interaction.user.username, canManageChannel },
      channel: { id: interaction.channelId ?? 'unknown', ...(interaction.guildId ? { workspace: interaction.guildId } : {}) },
    };
  }

  /**
   * Answers within Discord's 3-second window: directly when the work finishes within
   * `deferAfterMs`, otherwise defer first ("thinking…") and edit the answer in.
   */
  async function answer(interaction: ChatInputCommandInteraction | ButtonInteraction, work: Promise<Reply>, deferEphemeral: boolean): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deferAfterMs);
    });
    const early = await Promise.race([work, slow]);
    clearTimeout(timer);
    if (early) {
      await interaction.reply(replyOptions(renderDiscord(early), early.ephemeral));
      return;
    }
    await interaction.deferReply(deferEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await work;
    const message = renderDiscord(reply);
    if (reply.ephemeral && !deferEphemeral) {
      // A public "thinking…" cannot turn private: remove it and answer privately instead.
      await interaction.deleteReply();
      await interaction.followUp(replyOptions(message, true));
    } else {
      await interaction.editReply(editOptions(message));
    }
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    const name = interaction.commandName;
    const subcommand = interaction.options.getSubcommand(false) ?? undefined;
    const invocation = invocationOf(interaction);
    const command = commands.find((c) => c.name === name);
    let outcome: Outcome = 'error';
    const work = runCommand(commands, name, optionValues(interaction.options.data), { ...invocation, ...(subcommand ? { subcommand } : {}) }, services).then(
      (result) => {
        outcome = result.outcome;
        return result.reply;
      },
      (error: unknown) => {
        log.error({ err: error, command: name }, 'command failed');
        return errorReply(`Something went wrong running /${name}.`);
      },
    );
    try {
      await answer(interaction, work, command?.ephemeral ?? true);
      metrics.recordCommand({ platform: 'discord', command: known(name), outcome, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      metrics.recordDeliveryFailure('discord', 'command');
      log.error({ err: error, interactionId: interaction.id, command: name }, 'could not deliver the reply');
    }
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const started = performance.now();
    const label = actionLabel(actions, interaction.customId);
    let outcome: Outcome = 'error';
    const work = runAction(actions, interaction.customId, invocationOf(interaction), services).then(
      (reply): Reply => {
        outcome = outcomeOf(reply);
        // Button answers are for the person who pressed, never the channel.
        return { ...reply, ephemeral: true };
      },
      (error: unknown) => {
        log.error({ err: error, customId: interaction.customId }, 'action failed');
        return errorReply('Something went wrong with that button.');
      },
    );
    try {
      await answer(interaction, work, true);
      metrics.recordCommand({ platform: 'discord', command: label, outcome, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      metrics.recordDeliveryFailure('discord', 'action');
      log.error({ err: error, interactionId: interaction.id, customId: interaction.customId }, 'could not deliver the button reply');
    }
  }

  async function suggestions(interaction: AutocompleteInteraction): Promise<Array<{ name: string; value: string }>> {
    const command = commands.find((c) => c.name === interaction.commandName);
    const subcommand = interaction.options.getSubcommand(false);
    const specs: readonly OptionSpec[] | undefined = subcommand ? command?.subcommands?.find((s) => s.name === subcommand)?.options : command?.options;
    const focused = interaction.options.getFocused(true);
    const spec = specs?.find((s) => s.name === focused.name);
    // What was typed so far is user input like any other: bounded before it reaches the library.
    const typed = String(focused.value).slice(0, CHOICE_LENGTH);
    if (spec?.autocomplete === 'article') {
      return (await services.library.suggestArticles(typed, AUTOCOMPLETE_LIMIT)).map((a) => ({ name: cutChoice(a.title || a.id), value: a.id.slice(0, CHOICE_LENGTH) }));
    }
    if (spec?.autocomplete === 'speaker') {
      return (await services.library.speakers(typed, AUTOCOMPLETE_LIMIT)).map((s) => ({ name: cutChoice(s), value: cutChoice(s) }));
    }
    if (spec?.autocomplete === 'story' && services.stories) {
      // The latest stories first, or those whose titles hold the words typed; a last word of one or
      // two letters is still being typed and is left out (search matches starts of three or more).
      await services.stories.refresh();
      const words = typed.replace(/(^|\s)\S{1,2}$/u, '').trim();
      const found = await services.stories.search({ ...(words ? { words } : {}), limit: AUTOCOMPLETE_LIMIT });
      return found.map((s) => ({ name: cutChoice(s.title || s.id), value: s.id.slice(0, CHOICE_LENGTH) }));
    }
    return [];
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const started = performance.now();
    let choices: Array<{ name: string; value: string }> = [];
    let outcome: Outcome = 'ok';
    try {
      choices = (await suggestions(interaction)).filter((c) => c.name.length > 0 && c.value.length > 0).slice(0, AUTOCOMPLETE_LIMIT);
    } catch (error) {
      outcome = 'error';
      log.error({ err: error, command: interaction.commandName }, 'autocomplete failed');
    }
    try {
      await interaction.respond(choices);
      metrics.recordCommand({ platform: 'discord', command: `autocomplete:${known(interaction.commandName)}`, outcome, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      metrics.recordDeliveryFailure('discord', 'autocomplete');
      log.warn({ err: error, interactionId: interaction.id }, 'could not answer autocomplete');
    }
  }

  function route(interaction: Interaction): Promise<void> | undefined {
    if (interaction.isChatInputCommand()) return onCommand(interaction);
    if (interaction.isAutocomplete()) return onAutocomplete(interaction);
    if (interaction.isButton()) return onButton(interaction);
    return undefined;
  }

  client.on(Events.InteractionCreate, (interaction) => {
    const handling = route(interaction)?.catch((error: unknown) => log.error({ err: error, interactionId: interaction.id }, 'interaction failed'));
    if (!handling) return;
    const tracked = handling.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  });
  /** How this process's shards stand together: one shard gone for good leaves its guilds unanswered. */
  const fromShards = (): PlatformHealth['status'] => {
    const states = client.ws.shards.map((shard) => shardState(shard.status));
    return states.includes('down') ? 'down' : states.includes('reconnecting') ? 'reconnecting' : 'up';
  };
  client.on(Events.ShardDisconnect, (event, shardId) => {
    log.warn({ code: event.code, shard: shardId }, 'gateway disconnected');
    if (!stopping) setState('down');
  });
  client.on(Events.ShardReconnecting, () => setState('reconnecting'));
  // While starting, the first shard's ready is not the whole client's: start() says when it is up.
  client.on(Events.ShardResume, () => {
    if (state !== 'starting') setState(fromShards());
  });
  client.on(Events.ShardReady, (shardId) => {
    log.debug({ shard: shardId }, 'shard ready');
    if (state !== 'starting') setState(fromShards());
  });
  client.on(Events.Invalidated, () => {
    lastError = 'session invalidated';
    log.error('gateway session invalidated; not reconnecting');
    setState('down');
  });
  client.on(Events.Error, (error) => {
    lastError = describeError(error);
    log.error({ err: error }, 'discord client error');
  });
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord client warning'));
  client.rest.on('rateLimited', (info) => log.info({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'rate limited by Discord; waiting'));

  return {
    client,
    async start() {
      const token = config.discord.token;
      if (!token) throw new BriefbotError('config', 'Discord needs DISCORD_TOKEN');
      setState('starting');
      const timeoutMs = options.readyTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      // 4010/4011 and the like end a shard for good: say so now rather than after the ready timeout,
      // in words that name the setting (login itself may fail first, with only "Invalid shard").
      let refusal: string | undefined;
      let onRefusal: ((event: CloseEvent, shardId: number) => void) | undefined;
      const refused = new Promise<never>((_, reject) => {
        onRefusal = (event, shardId) => {
          refusal ??= shardRefusal(event.code, shardId, client.options.shardCount);
          reject(new Error(refusal));
        };
        client.on(Events.ShardDisconnect, onRefusal);
      });
      refused.catch(() => undefined);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the gateway was not ready after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([client.login(token).then(() => ready), timeout, refused]);
      } catch (error) {
        setState('down');
        // After destroy() the refused shard's close has been seen, whichever came first.
        await client.destroy().catch(() => undefined);
        lastError = refusal ?? describeError(error);
        throw new BriefbotError('unavailable', `Discord: could not connect: ${lastError}`, { cause: error });
      } finally {
        clearTimeout(timer);
        if (onRefusal) client.off(Events.ShardDisconnect, onRefusal);
      }
      setState('up');
      log.info(
        { user: client.user?.tag, guilds: client.guilds.cache.size, shards: [...client.ws.shards.keys()], shardCount: client.options.shardCount, apiUrl: config.discord.apiUrl },
        'discord ready',
      );
    },
    stop() {
      stopping ??= (async () => {
        const drainMs = options.drainMs ?? 2000;
        await drain(inflight, drainMs);
        await client.destroy().catch((error: unknown) => log.warn({ err: error }, 'discord client did not close cleanly'));
        setState('stopped');
        log.info('discord stopped');
      })();
      return stopping;
    },
    health() {
      const wsStatus = client.ws.status;
      const status: PlatformHealth['status'] =
        state === 'up' && wsStatus !== Status.Ready
          ? wsStatus === Status.Disconnected || wsStatus === Status.Idle
            ? 'down'
            : 'reconnecting'
          : state === 'up'
            ? fromShards()
            : state;
      // The shards this process runs, out of how many the bot has: replicas are told apart by these.
      const shards = client.ws.shards.map((shard) => ({ id: shard.id, status: shardState(shard.status), pingMs: shard.ping }));
      return {
        status,
        guilds: client.guilds.cache.size,
        pingMs: client.ws.ping,
        shardCount: client.options.shardCount,
        shards,
        ...(lastError ? { lastError } : {}),
      };
    },
  };
}
