import type { ClientOptions } from 'discord.js';
import type { Config } from '../../config/config.js';

/**
 * Discord sharding through discord.js's own client options: the client opens one gateway
 * connection per shard id and identifies each with `[id, count]`, and Discord sends every guild's
 * events to the shard `(guild_id >> 22) % count`. Several replicas split the guilds by running
 * different ids with the same count; nothing here coordinates them, the configuration does.
 * Replies to commands travel over REST to the interaction's webhook, and digests over REST to a
 * channel, so neither depends on which shard the guild's gateway events arrive on.
 */

export type DiscordShards = NonNullable<Config['discord']['shards']>;

/** The client options for the configured shards; none at all when unsharded, so nothing changes for one connection. */
export function discordShardOptions(shards: DiscordShards | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards?.count) return {};
  if (shards.count === 'auto') return { shards: 'auto' };
  const ids = shards.ids ?? Array.from({ length: shards.count }, (_, id) => id);
  return { shards: [...ids], shardCount: shards.count };
}

