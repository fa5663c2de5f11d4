/**
 * The store ports that coordinate replicas (subscriptions, deliveries, feed leases, and the story
 * ledger the deliveries write) on each
 * implementation, for the contract suites: SQLite in memory, and a real PostgreSQL database
 * (test/helpers/postgres.ts). `replica()` opens the same store again as another process would: its
 * own owner name in claims and leases and, on PostgreSQL, its own connection pool, so they race
 * for real.
 */
import { createDeliveryStore, type DeliveryStore, type DeliveryStoreOptions } from '../../../src/store/deliveries.js';
import { createFeedLeaseStore, type FeedLeaseStore } from '../../../src/store/feed-leases.js';
import { createPostgresFeedLeaseStore } from '../../../src/store/postgres/feed-leases.js';
import { createPostgresDeliveryStore } from '../../../src/store/postgres/deliveries.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { createPostgresPool, type PostgresPool } from '../../../src/store/postgres/pool.js';
import { createPostgresStoryLedger } from '../../../src/store/postgres/story-ledger.js';
import { createPostgresSubscriptionStore } from '../../../src/store/postgres/subscriptions.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { createStoryLedger, type StoryLedger } from '../../../src/store/story-ledger.js';
import { createSubscriptionStore, type SubscriptionStore } from '../../../src/store/subscriptions.js';
import { createTestDatabase } from '../../helpers/postgres.js';

export interface DigestStores {
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  feedLeases: FeedLeaseStore;
  ledger: StoryLedger;
}

export interface DigestStoreFixture {
  /** Another process on the same store. */
  replica(options?: DeliveryStoreOptions): DigestStores;
  close(): Promise<void>;
}

export interface DigestStoreImplementation {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<DigestStoreFixture>;
  /** Once after the file's tests. */
  teardown(): Promise<void>;
}

export const sqliteImplementation: DigestStoreImplementation = {
  name: 'sqlite',
  async open() {
    const store: Store = openStore({ path: ':memory:' });
    const subscriptions = createSubscriptionStore(store.db);
    const ledger = createStoryLedger(store.db);
    return {
      replica: (options) => ({ subscriptions, deliveries: createDeliveryStore(store.db, options), feedLeases: createFeedLeaseStore(store.db, options), ledger }),
      close: async () => store.close(),
    };
  },
  teardown: async () => undefined,
};

/** One database per test file, emptied before each test; each replica gets its own pool. */
export function postgresImplementation(): DigestStoreImplementation {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  return {
    name: 'postgres',
    async open() {
      if (!database) {
        database = await createTestDatabase();
        const pool = createPostgresPool({ url: database.url, max: 1 });
        try {
          await migratePostgres(pool);
        } finally {
          await pool.end();
        }
      }
      const pools: PostgresPool[] = [];
      const newPool = (): PostgresPool => {
        const pool = createPostgresPool({ url: database!.url, max: 4 });
        pools.push(pool);
        return pool;
      };
      await newPool().query('TRUNCATE deliveries, subscriptions, feed_leases RESTART IDENTITY CASCADE');
      return {
        replica: (options) => {
          const pool = newPool();
          return {
            subscriptions: createPostgresSubscriptionStore(pool),
            deliveries: createPostgresDeliveryStore(pool, options),
            feedLeases: createPostgresFeedLeaseStore(pool, options),
            ledger: createPostgresStoryLedger(pool),
          };
        },
        close: async () => {
          await Promise.all(pools.map((p) => p.end()));
        },
      };
    },
    async teardown() {
      await database?.drop();
    },
  };
}
