import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Who may manage digests in a Slack workspace: its admins and owners (from `users.info`), and
 * anyone on `slack.admins`. Answers are cached briefly so a burst of commands costs one lookup,
 * and a failed lookup refuses rather than allows.
 */

export interface ManagerCheckOptions {
  client: webApi.WebClient;
  admins: readonly string[];
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export type ManagerCheck = (userId: string) => Promise<boolean>;

export function createManagerCheck(options: ManagerCheckOptions): ManagerCheck {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const allowList = new Set(options.admins);
  const cache = new Map<string, { manager: boolean; until: number }>();
  return async (userId) => {
    if (allowList.has(userId)) return true;
    const hit = cache.get(userId);
    if (hit && hit.until > now()) return hit.manager;
    let manager = false;
    try {
      const { user } = await options.client.users.info({ user: userId });
      manager = Boolean(user && !user.deleted && (user.is_admin || user.is_owner || user.is_primary_owner));
    } catch (error) {
      options.logger.warn({ err: error, userId }, 'users.info failed; treating the user as not a manager');
      return false;
    }
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { manager, until: now() + ttlMs });
    return manager;
  };
}
