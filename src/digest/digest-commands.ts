import { errorReply, textReply, type Reply } from '../reply/reply.js';
import type { Channel, DigestCommands, Platform, User } from '../commands/types.js';
import type { Subscription } from '../store/subscriptions.js';
import { composeFor, type DigestJobDeps } from './digest-job.js';
import { occurrencesOf, parseSchedule } from './schedule.js';
import { formatLocal } from './zoned-time.js';

/**
 * /digest now | subscribe | unsubscribe | status, on the store. Channel managers only for the
 * changes: the adapters check it (Discord's Manage Channels, Slack admins or the allow-list) and
 * it is checked again here, so no adapter can forget. Replies are text for people; the reasons a
 * subscription paused are the platform's own words.
 */

export interface DigestCommandsDeps extends Pick<DigestJobDeps, 'library' | 'deliveries' | 'subscriptions' | 'settings'> {
  now: () => Date;
  /** Tells the scheduler a subscription changed (task created, moved or removed). */
  onChange?: (subscription: Subscription) => void;
  /** How far back `/digest status` counts failures. */
  failureWindowDays?: number;
}

type Target = { platform: Platform; channel: Channel; user?: User };

function chatPlatform(platform: Platform): 'discord' | 'slack' | undefined {
  return platform === 'discord' || platform === 'slack' ? platform : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function createDigestCommands(deps: DigestCommandsDeps): DigestCommands {
  const nextRun = (s: Subscription): Date | undefined => {
    const now = deps.now();
    // Strictly after now (the current slot is done or being done), and never before the subscription began.
    const from = new Date(Math.max(now.getTime(), Date.parse(s.activeSince) - 1));
    return occurrencesOf(s).next(from);
  };
  const find = (target: Target): Subscription | undefined => {
    const platform = chatPlatform(target.platform);
    return platform ? deps.subscriptions.forChannel(platform, target.channel.id) : undefined;
  };
  const where = (s: Subscription): string => `${s.schedule} (${s.timezone})`;
  const notManager = (): Reply => errorReply('Only people who can manage this channel can change its digest.');

  return {
    preview(target) {
      const subscription = find(target);
      if (!subscription) {
        if (deps.library.size === 0) return textReply('Nothing to post yet: no articles are loaded.');
        // What a new subscription's first digest would be: the backfill.
        const { content } = composeFor(deps, { id: -1, startPosition: deps.library.position, timezone: 'UTC' });
        if (!content || content.items === 0) return textReply('No digest is set up here, and a first digest would carry nothing (the backfill is 0).');
        return {
          ephemeral: true,
          text: `No digest is set up here. A first digest would post ${plural(content.items, 'briefing')}:`,
          cards: content.cards.slice(0, 10),
          buttons: [],
        };
      }
      const { content } = composeFor(deps, subscription);
      const next = nextRun(subscription);
      const when = next ? `at ${formatLocal(next, subscription.timezone)}` : 'next';
      if (!content) return textReply(`Nothing new since the last digest: the digest ${when} will be skipped unless briefings arrive.`);
      if (content.items === 0) return textReply(`Nothing new since the last digest: the digest ${when} would say so in one line.`);
      return { ephemeral: true, text: `The digest ${when} would post ${plural(content.items, 'briefing')}:`, cards: content.cards.slice(0, 10), buttons: [] };
    },

    subscribe(target, options) {
      const platform = chatPlatform(target.platform);
      if (!platform) return errorReply('Digests post to Discord or Slack channels; run /digest subscribe there.');
      if (!target.user.canManageChannel) return notManager();
      const parsed = parseSchedule(options.schedule, options.timezone ?? 'UTC');
      if (!parsed.ok) return errorReply(parsed.message);
      const existing = deps.subscriptions.forChannel(platform, target.channel.id);
      if (existing?.source === 'config') {
        return errorReply(`This channel's digest (${where(existing)}) is set in briefbot's configuration; change it there.`);
      }
      const { subscription, change } = deps.subscriptions.save(
        {
          platform,
          channelId: target.channel.id,
          ...(target.channel.workspace ? { workspace: target.channel.workspace } : {}),
          ...(target.channel.name ? { channelName: target.channel.name } : {}),
          schedule: parsed.schedule.label,
          cron: parsed.schedule.cron,
          timezone: parsed.schedule.timezone,
          source: 'chat',
          createdBy: target.user.id,
        },
        deps.now(),
        deps.library.position,
      );
      deps.onChange?.(subscription);
      const next = nextRun(subscription);
      const nextText = next ? ` Next: ${formatLocal(next, subscription.timezone)}.` : '';
      const verb = { created: 'Subscribed', resumed: 'Resumed', updated: 'Updated', unchanged: 'Already subscribed' }[change];
      const first = change === 'created' ? ` The first one carries the latest ${plural(subscription.backfill ?? deps.settings.backfill, 'briefing')} and anything new.` : '';
      return textReply(`${verb}: a digest here ${where(subscription)}.${nextText}${first}`);
    },

    unsubscribe(target) {
      if (!target.user.canManageChannel) return notManager();
      const subscription = find(target);
      if (!subscription) return textReply('No digest is set up here.');
      if (subscription.source === 'config') {
        return errorReply(`This channel's digest (${where(subscription)}) is set in briefbot's configuration; remove it there.`);
      }
      deps.subscriptions.remove(subscription.id, deps.now());
      deps.onChange?.({ ...subscription, status: 'removed' });
      return textReply(`Unsubscribed: no more digests here (it was ${where(subscription)}).`);
    },

    status(target) {
      const subscription = find(target);
      if (!subscription) return textReply('No digest is set up here. A channel manager can start one: /digest subscribe daily 08:00 timezone:Europe/London');
      const tz = subscription.timezone;
      const lines: string[] = [];
      if (subscription.status === 'paused') {
        const since = subscription.pausedAt ? ` since ${formatLocal(subscription.pausedAt, tz)}` : '';
        lines.push(`Paused${since}: ${subscription.pausedReason ?? 'unknown reason'}.`);
        lines.push('Give briefbot access to the channel again, then run /digest subscribe to resume.');
      } else {
        const next = nextRun(subscription);
        lines.push(next ? `Next digest: ${formatLocal(next, tz)}.` : 'No further run: the schedule does not come round again.');
      }
      const last = deps.deliveries.latest(subscription.id, ['delivered']);
      lines.push(last ? `Last delivered: ${formatLocal(last.slot, tz)} (${plural(last.items, 'briefing')}).` : 'No digest delivered here yet.');
      const sending = deps.deliveries.latest(subscription.id, ['pending']);
      if (sending) lines.push(`Sending the ${formatLocal(sending.slot, tz)} digest: ${sending.partsSent} of ${plural(sending.parts.length, 'message')} posted.`);
      const days = deps.failureWindowDays ?? 7;
      const since = new Date(deps.now().getTime() - days * 86_400_000).toISOString();
      const failures = deps.deliveries.failuresSince(subscription.id, since);
      if (failures.count > 0 && failures.last) {
        lines.push(`Failures in the last ${days} days: ${failures.count}; the latest, ${formatLocal(failures.last.slot, tz)}: ${failures.last.lastError ?? 'unknown'}.`);
      } else {
        lines.push(`No failures in the last ${days} days.`);
      }
      return {
        ephemeral: true,
        cards: [{ title: `Digest: ${where(subscription)}`, sections: [{ items: lines }], footer: subscription.source === 'config' ? 'Set in the configuration' : 'Set up in chat' }],
        buttons: [],
      };
    },
  };
}
