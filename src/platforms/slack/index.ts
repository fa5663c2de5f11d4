import type { Platform } from '../platform.js';
import { renderSlackMessages } from './render.js';
import type { SlackAdapter, SlackAdapterOptions } from './slack-adapter.js';

/**
 * Slack as a briefbot platform. Its folder holds everything of it: the Bolt adapter (HTTP or
 * Socket Mode) with its request guard, response poster and admin check, the app manifest, the
 * renderer (Block Kit within Slack's limits) and the digest sender.
 */

export type SlackTuning = Partial<Pick<SlackAdapterOptions, 'webApiRetry' | 'socketRetry' | 'responseRetry' | 'adminCacheMs' | 'drainMs' | 'replayGuard'>>;

export const slackPlatform: Platform<SlackAdapter, SlackTuning> = {
  name: 'slack',
  title: 'Slack',
  check(config) {
    const { botToken, signingSecret, appToken } = config.slack;
    if (botToken && appToken) return { state: 'on', mode: 'socket' };
    if (botToken && signingSecret) return { state: 'on', mode: 'http' };
    if (botToken || signingSecret || appToken) {
      const missing = !botToken ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)';
      return { state: 'half', problem: `Slack is half-configured: set ${missing} too (or unset the others).` };
    }
    return { state: 'off', reason: 'SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is not set' };
  },
  renderDigest: (content) => renderSlackMessages(content.cards, content.text),
  async createAdapter({ tuning, mode, ...options }) {
    const { createSlackAdapter } = await import('./slack-adapter.js');
    return createSlackAdapter({ ...options, ...tuning, mode: mode === 'socket' ? 'socket' : 'http' });
  },
  async createSender(config) {
    if (!config.slack.botToken) return undefined;
    const { createSlackSender } = await import('./sender.js');
    return createSlackSender({ token: config.slack.botToken, apiUrl: config.slack.apiUrl });
  },
};
