import { FORGET_FACTS, FORGET_STORIES, LEDGER_QUERY, ledgerRecords, type LedgerRow, type StoryLedger } from '../story-ledger.js';
import type { PostgresPool } from './pool.js';

/**
 * The story-ledger port (../story-ledger.ts) on PostgreSQL: reading, and forgetting what is long
 * untold. The ledger is written by the delivery store (postgres/deliveries.ts), in the transaction
 * that marks a delivery delivered.
 */

const QUERY = LEDGER_QUERY.replace('$SUBSCRIPTION', '$1').replace('$STORIES', '= ANY ($2::text[])');

export function createPostgresStoryLedger(pool: PostgresPool): StoryLedger {
  return {
    async told(subscriptionId, storyIds) {
      if (storyIds.length === 0) return new Map();
      return ledgerRecords((await pool.query<LedgerRow>(QUERY, [subscriptionId, [...storyIds]])).rows);
    },
    async forget(before) {
      const at = before.toISOString();
      // Two statements, each atomic: facts first, so a crash between them leaves stories with no old facts, never facts with no story.
      await pool.query(FORGET_FACTS.replaceAll('$BEFORE', '$1::timestamptz'), [at]);
      return (await pool.query(FORGET_STORIES.replaceAll('$BEFORE', '$1::timestamptz'), [at])).rowCount ?? 0;
    },
  };
}
