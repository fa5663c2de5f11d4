import type { Platform } from '../platform.js';
import type { DiscordAdapter, DiscordAdapterOptions } from './discord-adapter.js';
import { renderDiscordMessages } from './render.js';
import { DISCORD_SHARED_PER_SECOND } from '../../store/request-pace.js';

/**
 * Discord as a briefbot platform. Its folder holds everything of it: the discord.js adapter, the
 * slash-command definitions and their registration, the renderer (embeds within Discord's limits)
 * and the digest sender with its REST client and error classifier.
 */

export type DiscordTuning = Partial<Pick<DiscordAdapterOptions, 'deferAfterMs' | 'readyTimeoutMs' | 'drainMs'>>;

export const discordPlatform: Platform<DiscordAdapter, DiscordTuning> = {
  name: 'discord',
  title: 'Discord',
  check(config) {
    const { token, applicationId } = config.discord;
    if (token && applicationId) return { state: 'on' };
    if (token || applicationId) return { state: 'half', problem: `Discord is half-configured: set ${token ? 'DISCORD_APPLICATION_ID' : 'DISCORD_TOKEN'} too (or unset both).` };
    return { state: 'off', reason: 'DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set' };
  },
  renderDigest: (content) => renderDiscordMessages(content.cards, content.text),
  async createAdapter({ tuning, mode: _mode, ...options }) {
    const { createDiscordAdapter } = await import('./discord-adapter.js');
    return createDiscordAdapter({ ...options, ...tuning });
  },
  sharedRequestsPerSecond: DISCORD_SHARED_PER_SECOND,
  async createSender(config, options) {
    if (!config.discord.token) return undefined;
    const { createDiscordSender } = await import('./sender.js');
    return createDiscordSender({ token: config.discord.token, apiUrl: config.discord.apiUrl, ...(options?.globalPace ? { globalPace: options.globalPace } : {}) });
  },
};
