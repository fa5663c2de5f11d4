/**
 * mapOrdered: results in input order whatever order the work finishes in, a bounded number (and
 * weight) of items held, back-pressure from a consumer that stops pulling, and output that streams
 * while the source still waits. Work finishes when the test says so (deferred promises), never on
 * a timer.
 */
import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../src/util/map-ordered.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

async function* from<T>(items: T[], read?: (index: number) => void): AsyncGenerator<T> {
  for (const [i, item] of items.entries()) {
    read?.(i);
    yield item;
  }
}

describe('mapOrdered', () => {
  it('yields results in input order when the work finishes in another order', async () => {
    const work = Array.from({ length: 6 }, () => deferred<string>());
    const out: string[] = [];
    const run = (async () => {
      for await (const r of mapOrdered(from([0, 1, 2, 3, 4, 5]), (i) => work[i]!.promise, { limit: 6 })) out.push(r);
    })();
    for (const i of [5, 3, 1, 4, 2]) work[i]!.resolve(`r${i}`);
    await settle();
    expect(out).toEqual([]);
    work[0]!.resolve('r0');
    await run;
    expect(out).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('holds at most `limit` items: reads ahead that far while the oldest is pending, and no further', async () => {
    const work = Array.from({ length: 10 }, () => deferred<number>());
    const started: number[] = [];
    const iterator = mapOrdered(
      from([...work.keys()]),
      (i) => {
        started.push(i);
        return work[i]!.promise;
      },
      { limit: 3 },
    );
    const first = iterator.next();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (let i = 1; i < 10; i++) work[i]!.resolve(i);
    await settle();
    // Everything after item 0 is done, but item 0 is not: nothing more is read.
    expect(started).toEqual([0, 1, 2]);
    work[0]!.resolve(0);
    const out: number[] = [];
    for (let r = await first; !r.done; r = await iterator.next()) {
      out.push(r.value);
      await settle();
      expect(started.length).toBeLessThanOrEqual(out.length + 3 - 1);
    }
    expect(out).toEqual([...work.keys()]);
  });

  it('a consumer that stops pulling stops the reads (back-pressure)', async () => {
    const read: number[] = [];
    const iterator = mapOrdered(from([...Array(100).keys()], (i) => read.push(i)), async (i) => i, { limit: 4 });
    expect((await iterator.next()).value).toBe(0);
    await settle();
    // Item 0 was taken; the consumer has not asked again, so no more than `limit` are held beyond it.
    expect(read.length).toBeLessThanOrEqual(1 + 4 + 1);
    await iterator.return();
  });

  it('stops reading once the items held reach maxWeight, but always holds one', async () => {
    const work = Array.from({ length: 5 }, () => deferred<number>());
    const started: number[] = [];
    const sizes = [600, 600, 50, 50, 50];
    const iterator = mapOrdered(
      from([...work.keys()]),
      (i) => {
        started.push(i);
        return work[i]!.promise;
      },
      { limit: 10, weigh: (i) => sizes[i]!, maxWeight: 1000 },
    );
    const first = iterator.next();
    await settle();
    // 600 + 600 reaches 1000: the third waits although the limit would allow it.
    expect(started).toEqual([0, 1]);
    work[0]!.resolve(0);
    expect((await first).value).toBe(0);
    // Item 0 taken, 600 held: the small ones fit again.
    const second = iterator.next();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const w of work) w.resolve(0);
    expect((await second).value).toBe(0);
    await iterator.return();
  });

  it('streams: a ready result comes out while the source is still waiting for its next item', async () => {
    const gate = deferred<void>();
    async function* slowSource(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      await gate.promise;
      yield 3;
    }
    const iterator = mapOrdered(slowSource(), async (i) => i * 10, { limit: 8 });
    expect(await iterator.next()).toEqual({ value: 10, done: false });
    expect(await iterator.next()).toEqual({ value: 20, done: false });
    gate.resolve();
    expect(await iterator.next()).toEqual({ value: 30, done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('a failed piece of work ends the iteration with its error; the others leave no unhandled rejection', async () => {
    const iterator = mapOrdered(from([0, 1, 2]), async (i) => {
      if (i === 0) throw new Error('worker died');
      throw new Error(`later ${i}`);
    }, { limit: 3 });
    await expect(iterator.next()).rejects.toThrow('worker died');
    await settle();
  });

  it('an empty source yields nothing', async () => {
    const out: number[] = [];
    for await (const r of mapOrdered(from<number>([]), async (i) => i, { limit: 2 })) out.push(r);
    expect(out).toEqual([]);
  });
});
