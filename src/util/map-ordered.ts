/**
 * Maps an async source through an async function with several items in flight, yielding the
 * results in the source's order. What it holds is bounded: at most `limit` items (read and not
 * yet taken by the consumer), and no new read once their `weigh`ed total reaches `maxWeight` (so a
 * run of huge records cannot fill memory however high the limit). A consumer that stops pulling
 * (a full stdout) stops the reads too: back-pressure passes straight through. A result is yielded
 * as soon as it and every result before it are ready, even while the source is still waiting for
 * its next item, so a slow producer's output still streams.
 *
 * `fn` should report per-item failures in its result; a rejection (a worker that died) ends the
 * iteration with that error.
 */

export interface MapOrderedOptions<A> {
  /** Most items held at once (at least 1). */
  limit: number;
  /** An item's weight (its size in bytes, say). Default: every item weighs 0. */
  weigh?: (item: A) => number;
  /** No further read while the items held weigh this much or more; one item is always allowed. */
  maxWeight?: number;
}

const ignore = (): void => undefined;

export async function* mapOrdered<A, B>(source: AsyncIterable<A>, fn: (item: A) => Promise<B>, options: MapOrderedOptions<A>): AsyncGenerator<B, void, undefined> {
  const limit = Math.max(1, options.limit);
  const maxWeight = options.maxWeight ?? Infinity;
  const weigh = options.weigh ?? (() => 0);
  const iterator = source[Symbol.asyncIterator]();
  const held: Array<{ result: Promise<B>; weight: number }> = [];
  let weight = 0;
  let reading: Promise<IteratorResult<A>> | undefined;
  let ended = false;

  const take = (next: IteratorResult<A>): void => {
    reading = undefined;
    if (next.done) {
      ended = true;
      return;
    }
    const itemWeight = weigh(next.value);
    weight += itemWeight;
    held.push({ result: fn(next.value), weight: itemWeight });
  };

  try {
    for (;;) {
      if (!ended && !reading && (held.length === 0 || (held.length < limit && weight < maxWeight))) reading = iterator.next();
      const head = held[0];
      if (!head) {
        if (!reading) return;
        take(await reading);
        continue;
      }
      // Whichever comes first: the oldest result (yield it) or the next item (start it).
      if (reading) {
        const first = await Promise.race([head.result.then(() => 'result' as const), reading.then(() => 'item' as const)]);
        if (first === 'item') {
          take(await reading);
          continue;
        }
      }
      const result = await head.result;
      held.shift();
      weight -= head.weight;
      yield result;
    }
  } finally {
    // Stopped early (the consumer broke off, or a result failed): nothing left behind may surface as an unhandled rejection.
    for (const { result } of held) result.catch(ignore);
    if (reading) reading.catch(ignore);
    if (!ended) iterator.return?.()?.catch(ignore);
  }
}
