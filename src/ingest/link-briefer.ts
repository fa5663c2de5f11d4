import type { Logger } from 'pino';
import { BriefbotError } from '../errors.js';
import type { Library, LibraryEntry } from '../library/library.js';
import type { SafeFetcher } from '../net/safe-fetch.js';
import type { IngestState } from './ingest-state.js';
import { canonicalUrl } from './item-identity.js';
import { recordArticle, type RecordStatus } from './record-article.js';

/**
 * Briefs a link someone pasted: fetches the page safely, finds the article with Readability and
 * files it in the library. The same link briefed again is the same article: unchanged, or a new
 * revision when the page was edited in between.
 */

export const LINK_SOURCE_ID = 'link';

export interface LinkBriefer {
  brief(url: string): Promise<{ entry: LibraryEntry; status: RecordStatus }>;
}

export interface LinkBrieferOptions {
  fetcher: SafeFetcher;
  library: Library;
  state: IngestState;
  logger: Logger;
  now?: () => Date;
}

export function createLinkBriefer(options: LinkBrieferOptions): LinkBriefer {
  const { fetcher, library, state, logger } = options;
  const now = options.now ?? (() => new Date());
  return {
    async brief(url: string) {
      // The page reader loads on the first link (linkedom and Readability: memory a bot without links never needs).
      const { fetchPageArticle } = await import('./fetch-page.js');
      const page = await fetchPageArticle(fetcher, url);
      const canonical = canonicalUrl(page.canonicalUrl ?? page.finalUrl) ?? page.finalUrl;
      const key = `url:${canonical}`;
      const at = now();
      // Two people pasting one link on two replicas at once would each file it (two entries, or
      // one revision recorded twice): the first to claim it briefs it, the other is told to wait.
      // Claimed by the link's own key, not its URL across sources, as the lookup below.
      const won = await state.claimSeen({ sourceId: LINK_SOURCE_ID, key }, { now: at });
      if (!won) throw new BriefbotError('unavailable', `${canonical} is being briefed right now; ask again in a moment`);
      try {
        // Only links briefed before count: a feed's version of the same story is its own entry, not an earlier revision of this page.
        const seen = won.seen ?? (await state.findSeen({ sourceId: LINK_SOURCE_ID, key: `url:${canonicalUrl(url) ?? url}` }));
        const articleId = seen?.articleId && (await library.get(seen.articleId)) ? seen.articleId : undefined;
        const result = await recordArticle({ library, state }, { article: page.article, source: page.article.url ?? page.finalUrl, now: at, ...(articleId ? { articleId } : {}) });
        await state.saveSeen({
          sourceId: LINK_SOURCE_ID,
          key,
          canonicalUrl: canonical,
          contentHash: result.entry.contentHash,
          articleId: result.entry.briefing.id,
          status: 'delivered',
          firstSeenAt: seen?.firstSeenAt ?? at.toISOString(),
          lastSeenAt: at.toISOString(),
        });
        logger.info({ url, articleId: result.entry.briefing.id, status: result.status }, 'link briefed');
        return { entry: result.entry, status: result.status };
      } finally {
        await state.releaseSeen(won.claim);
      }
    },
  };
}
