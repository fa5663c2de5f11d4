import type { SubscriptionConfig } from '../config/config.js';
import { BriefbotError } from '../errors.js';
import type { Subscription, SubscriptionStore } from '../store/subscriptions.js';
import { parseSchedule } from './schedule.js';

/**
 * Subscriptions listed in `config/*.yaml` (`digest.subscriptions`) are applied at start-up:
 * new ones created, changed ones updated, ones no longer listed removed. A configured
 * subscription that paused itself (the channel went away) stays paused until its entry changes
 * or a channel manager runs /digest subscribe there. Bad entries stop start-up, all listed.
 */

export interface ConfigSyncReport {
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export async function syncConfigSubscriptions(
  store: SubscriptionStore,
  entries: readonly SubscriptionConfig[],
  now: Date,
  position: number,
): Promise<ConfigSyncReport & { changed: Subscription[] }> {
  const problems: string[] = [];
  const parsed = entries.map((entry, i) => {
    const result = parseSchedule(entry.schedule, entry.timezone);
    if (!result.ok) problems.push(`digest.subscriptions.${i} (${entry.platform} ${entry.channel}): ${result.message}`);
    return { entry, result };
  });
  const seen = new Set<string>();
  for (const { entry } of parsed) {
    const key = `${entry.platform}:${entry.channel}`;
    if (seen.has(key)) problems.push(`digest.subscriptions: ${entry.platform} channel ${entry.channel} is listed twice`);
    seen.add(key);
  }
  if (problems.length > 0) throw new BriefbotError('config', `configuration problems:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const report = { created: 0, updated: 0, removed: 0, unchanged: 0, changed: [] as Subscription[] };
  for (const { entry, result } of parsed) {
    if (!result.ok) continue;
    const input = {
      platform: entry.platform,
      channelId: entry.channel,
      schedule: result.schedule.label,
      cron: result.schedule.cron,
      timezone: result.schedule.timezone,
      source: 'config' as const,
      ...(entry.backfill !== undefined ? { backfill: entry.backfill } : {}),
      ...(entry.nothingNew ? { nothingNew: entry.nothingNew } : {}),
      ...(entry.threads !== undefined ? { threads: entry.threads } : {}),
      ...(entry.unchanged ? { unchanged: entry.unchanged } : {}),
    };
    const existing = await store.forChannel(entry.platform, entry.channel);
    const same =
      existing &&
      existing.source === 'config' &&
      existing.cron === input.cron &&
      existing.timezone === input.timezone &&
      existing.schedule === input.schedule &&
      existing.backfill === input.backfill &&
      existing.nothingNew === input.nothingNew &&
      existing.threads === input.threads &&
      existing.unchanged === input.unchanged;
    if (same) {
      report.unchanged++;
      continue;
    }
    const saved = await store.save(input, now, position);
    report.changed.push(saved.subscription);
    if (saved.change === 'created') report.created++;
    else report.updated++;
  }
  for (const subscription of await store.live()) {
    if (subscription.source !== 'config' || seen.has(`${subscription.platform}:${subscription.channelId}`)) continue;
    await store.remove(subscription.id, now);
    report.changed.push({ ...subscription, status: 'removed' });
    report.removed++;
  }
  return report;
}
