import { digestCards } from '../digest/compose.js';
import { textReply } from '../reply/reply.js';
import type { Command } from './types.js';

/** How many briefings a preview shows when no subscription says otherwise. */
export const PREVIEW_SIZE = 3;

export const digestCommand: Command = {
  name: 'digest',
  description: 'Scheduled digests for this channel: preview the next one, subscribe, unsubscribe, status.',
  usage: '/digest now | subscribe <schedule> [timezone] | unsubscribe | status',
  examples: ['/digest now', '/digest subscribe daily 08:00 timezone:Europe/London', '/digest status'],
  ephemeral: true,
  options: [],
  subcommands: [
    { name: 'now', description: 'Preview what the next digest would post here', options: [] },
    {
      name: 'subscribe',
      description: 'Post a digest here on a schedule (channel managers only)',
      requiresManager: true,
      options: [
        { name: 'schedule', description: 'e.g. "daily 08:00", "weekdays 07:30", "every 6 hours", or a cron expression', type: 'string', required: true, maxLength: 100 },
        { name: 'timezone', description: 'IANA timezone, e.g. Europe/London (default UTC)', type: 'string', maxLength: 64 },
      ],
    },
    { name: 'unsubscribe', description: 'Stop posting digests here (channel managers only)', requiresManager: true, options: [] },
    { name: 'status', description: 'Next run, last delivery and failures for this channel', options: [] },
  ],
  run(input, services) {
    const target = { platform: input.platform, channel: input.channel, user: input.user };
    const digest = services.digest;
    switch (input.subcommand) {
      case 'now': {
        if (digest) return digest.preview(target);
        const { items } = services.library.list({ limit: PREVIEW_SIZE });
        if (items.length === 0) return textReply('Nothing to post yet: no articles are loaded.');
        return { ephemeral: true, text: `The next digest would post ${items.length} briefing${items.length === 1 ? '' : 's'}:`, cards: digestCards(items), buttons: [] };
      }
      case 'subscribe':
      case 'unsubscribe':
      case 'status':
        if (!digest) return textReply('Scheduled digests need a chat platform: run briefbot with Discord or Slack credentials.', { error: true });
        if (input.subcommand === 'subscribe') {
          const timezone = input.options.timezone as string | undefined;
          return digest.subscribe(target, { schedule: input.options.schedule as string, ...(timezone ? { timezone } : {}) });
        }
        return input.subcommand === 'unsubscribe' ? digest.unsubscribe(target) : digest.status(target);
      default:
        return textReply('Say which: /digest now, subscribe, unsubscribe or status.', { error: true });
    }
  },
};
