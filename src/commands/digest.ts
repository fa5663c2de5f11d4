import type { DigestContent } from '../digest/compose.js';
import { firstDigestOf } from '../digest/compose-stories.js';
import { subscriptionLabel, type DigestPreview, type DigestStatus, type DigestSubscribed } from '../digest/digest-commands.js';
import { formatLocal } from '../digest/zoned-time.js';
import { isPlatformName } from '../platforms/names.js';
import { textReply, type Reply } from '../reply/reply.js';
import { STORY_DIGEST_DEFAULTS, type Subscription, type UnchangedPolicy } from '../store/subscriptions.js';
import type { Command, CommandInput } from './types.js';

/**
 * /digest: the words for what the digest service (services.digest) reports. Who may subscribe
 * or unsubscribe is the command layer's precondition (`requiresManager`), checked once in
 * runCommand for every platform; the service refuses in a BriefbotError what it cannot do.
 */

/** How many briefings a preview shows when no digest scheduler runs (the console): the default backfill. */
export const PREVIEW_SIZE = 3;
/** Cards a preview shows at most: one message's worth on every platform. */
const PREVIEW_CARDS = 10;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 briefings", or "2 stories" for a story digest. */
function itemsOf(content: DigestContent): string {
  return content.stories ? `${content.items} ${content.items === 1 ? 'story' : 'stories'}` : plural(content.items, 'briefing');
}

function cardsReply(text: string, content: DigestContent): Reply {
  return { ephemeral: true, text, cards: content.cards.slice(0, PREVIEW_CARDS), buttons: [] };
}

/** `/digest now`, from a preview, or (no scheduler running) from the first digest the library would give. */
export function previewReply(preview: DigestPreview | undefined, fallback: DigestContent | undefined): Reply {
  if (!preview) {
    if (!fallback) return textReply('Nothing to post yet: no articles are loaded.');
    return cardsReply(`The next digest would post ${itemsOf(fallback)}:`, fallback);
  }
  const { subscription, content } = preview;
  if (!subscription) {
    if (!content || content.items === 0) return textReply('No digest is set up here, and a first digest would carry nothing (the backfill is 0).');
    return cardsReply(`No digest is set up here. A first digest would post ${itemsOf(content)}:`, content);
  }
  const when = preview.next ? `at ${formatLocal(preview.next, subscription.timezone)}` : 'next';
  if (!content) return textReply(`Nothing new since the last digest: the digest ${when} will be skipped unless briefings arrive.`);
  if (content.items === 0) return textReply(`Nothing new since the last digest: the digest ${when} would say so in one line.`);
  return cardsReply(`The digest ${when} would post ${itemsOf(content)}:`, content);
}

/** "Threads: on, one per story. Stories with nothing new: one line.": a channel's story digest settings, unset ones as they act. */
export function storySettings(subscription: Pick<Subscription, 'threads' | 'unchanged'>): string {
  const threads = subscription.threads ?? STORY_DIGEST_DEFAULTS.threads;
  const unchanged = subscription.unchanged ?? STORY_DIGEST_DEFAULTS.unchanged;
  return `Threads: ${threads ? 'on, one per story' : 'off'}. Stories with nothing new: ${unchanged === 'line' ? 'one line' : 'left out'}.`;
}

export function subscribedReply(result: DigestSubscribed): Reply {
  const { subscription, change } = result;
  const next = result.next ? ` Next: ${formatLocal(result.next, subscription.timezone)}.` : '';
  const verb = { created: 'Subscribed', resumed: 'Resumed', updated: 'Updated', unchanged: 'Already subscribed' }[change];
  const first = change === 'created' ? ` The first one carries the latest ${plural(result.backfill, 'briefing')} and anything new.` : '';
  // The story digest settings once the channel has any (chosen now or before); /digest status always shows them.
  const settings = subscription.threads !== undefined || subscription.unchanged !== undefined ? ` ${storySettings(subscription)}` : '';
  return textReply(`${verb}: a digest here ${subscriptionLabel(subscription)}.${next}${first}${settings}`);
}

export function statusReply(status: DigestStatus | undefined): Reply {
  if (!status) return textReply('No digest is set up here. A channel manager can start one: /digest subscribe daily 08:00 timezone:Europe/London');
  const { subscription } = status;
  const tz = subscription.timezone;
  const lines: string[] = [];
  if (subscription.status === 'paused') {
    const since = subscription.pausedAt ? ` since ${formatLocal(subscription.pausedAt, tz)}` : '';
    lines.push(`Paused${since}: ${subscription.pausedReason ?? 'unknown reason'}.`);
    lines.push('Give briefbot access to the channel again, then run /digest subscribe to resume.');
  } else {
    lines.push(status.next ? `Next digest: ${formatLocal(status.next, tz)}.` : 'No further run: the schedule does not come round again.');
  }
  lines.push(storySettings(subscription));
  const last = status.lastDelivered;
  lines.push(last ? `Last delivered: ${formatLocal(last.slot, tz)} (${plural(last.items, 'briefing')}).` : 'No digest delivered here yet.');
  const sending = status.sending;
  if (sending) lines.push(`Sending the ${formatLocal(sending.slot, tz)} digest: ${sending.partsSent} of ${plural(sending.parts, 'message')} posted.`);
  const days = status.failureWindowDays;
  const latest = status.failures.last;
  if (status.failures.count > 0 && latest) {
    lines.push(`Failures in the last ${days} days: ${status.failures.count}; the latest, ${formatLocal(latest.slot, tz)}: ${latest.error ?? 'unknown'}.`);
  } else {
    lines.push(`No failures in the last ${days} days.`);
  }
  return {
    ephemeral: true,
    cards: [{ title: `Digest: ${subscriptionLabel(subscription)}`, sections: [{ items: lines }], footer: subscription.source === 'config' ? 'Set in the configuration' : 'Set up in chat' }],
    buttons: [],
  };
}

/** Where digests can post: a channel of a chat platform, not the console. */
function chatTarget(input: CommandInput) {
  return isPlatformName(input.platform) ? { platform: input.platform, channel: input.channel } : undefined;
}

export const digestCommand: Command = {
  name: 'digest',
  description: 'Scheduled digests for this channel: preview the next one, subscribe, unsubscribe, status.',
  // At most 100 characters after "/digest ": Slack's usage hint.
  usage: '/digest now | subscribe <schedule> [timezone] [threads:on|off] [unchanged:skip|line] | unsubscribe | status',
  examples: ['/digest now', '/digest subscribe daily 08:00 timezone:Europe/London', '/digest subscribe weekdays 07:30 threads:on unchanged:line', '/digest status'],
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
        { name: 'threads', description: 'One thread per story, its updates posted there (default off)', type: 'string', choices: ['on', 'off'] },
        { name: 'unchanged', description: 'A story with nothing new: left out (skip, the default) or one line', type: 'string', choices: ['skip', 'line'] },
      ],
    },
    { name: 'unsubscribe', description: 'Stop posting digests here (channel managers only)', requiresManager: true, options: [] },
    { name: 'status', description: 'Next run, last delivery and failures for this channel', options: [] },
  ],
  async run(input, services) {
    const digest = services.digest;
    const target = chatTarget(input);
    switch (input.subcommand) {
      case 'now':
        if ((await services.library.size) === 0) return textReply('Nothing to post yet: no articles are loaded.');
        if (digest && target) return previewReply(await digest.preview(target), undefined);
        return previewReply(undefined, await firstDigestOf(services.library, services.stories, { backfill: PREVIEW_SIZE, maxItems: PREVIEW_SIZE }));
      case 'subscribe':
      case 'unsubscribe':
      case 'status': {
        if (!digest) return textReply('Scheduled digests need a chat platform: run briefbot with Discord or Slack credentials.', { error: true });
        if (!target) return textReply(`Digests post to Discord or Slack channels; run /digest ${input.subcommand} there.`, { error: true });
        if (input.subcommand === 'status') return statusReply(await digest.status(target));
        if (input.subcommand === 'unsubscribe') {
          const removed = await digest.unsubscribe(target);
          return textReply(removed ? `Unsubscribed: no more digests here (it was ${subscriptionLabel(removed)}).` : 'No digest is set up here.');
        }
        const timezone = input.options.timezone as string | undefined;
        const threads = input.options.threads as 'on' | 'off' | undefined;
        const unchanged = input.options.unchanged as UnchangedPolicy | undefined;
        return subscribedReply(
          await digest.subscribe(
            { ...target, userId: input.user.id },
            {
              schedule: input.options.schedule as string,
              ...(timezone ? { timezone } : {}),
              ...(threads ? { threads: threads === 'on' } : {}),
              ...(unchanged ? { unchanged } : {}),
            },
          ),
        );
      }
      default:
        return textReply('Say which: /digest now, subscribe, unsubscribe or status.', { error: true });
    }
  },
};
