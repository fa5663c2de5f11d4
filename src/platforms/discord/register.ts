import { REST, Routes } from 'discord.js';
import type { Command } from '../../commands/index.js';
import type { Config } from '../../config/config.js';
import { BriefbotError } from '../../errors.js';
import { toDiscordDefinitions } from './definitions.js';

/**
 * Publishes the slash-command definitions with one bulk overwrite (PUT): globally (Discord
 * takes up to an hour to show changes everywhere) or to one guild (instant, for testing).
 * Commands no longer in the list disappear; ones that did not change keep their ids.
 */

export interface RegisterOptions {
  config: Config;
  commands: readonly Command[];
  /** Register to this guild only; default: `config.discord.guildId`, else globally. */
  guildId?: string;
}

export interface RegisterResult {
  scope: 'global' | { guildId: string };
  names: string[];
}

export async function registerDiscordCommands(options: RegisterOptions): Promise<RegisterResult> {
  const { token, applicationId, apiUrl } = options.config.discord;
  const missing = [!token && 'DISCORD_TOKEN', !applicationId && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (missing.length > 0 || !token || !applicationId) throw new BriefbotError('config', `registering Discord commands needs ${missing.join(' and ')}`);
  const guildId = options.guildId ?? options.config.discord.guildId;
  if (guildId !== undefined && !/^\d{15,25}$/.test(guildId)) throw new BriefbotError('usage', `--guild takes a guild id (a number), got "${guildId}"`);
  const rest = new REST({ api: apiUrl, retries: 3 }).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: toDiscordDefinitions(options.commands) })) as Array<{ name: string }>;
  return { scope: guildId ? { guildId } : 'global', names: saved.map((c) => c.name) };
}
