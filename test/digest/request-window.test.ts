import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequestWindow } from '../../src/platforms/discord/sender.js';

afterEach(() => vi.useRealTimers());

describe('the Discord global request window', () => {
  it('lets `limit` requests through, then opens the next window a full window after the first answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const window = createRequestWindow(3, 1000);
    const sent: Array<[number, number]> = [];
    const go = async (n: number) => {
      const id = await window.acquire();
      sent.push([n, Date.now()]);
      return id;
    };
    const first = await Promise.all([go(1), go(2), go(3)]);
    const later = [go(4), go(5)];
    await vi.advanceTimersByTimeAsync(2000);
    // Nothing answered yet: Discord's window may not even have opened, so nobody goes.
    expect(sent.map(([n]) => n)).toEqual([1, 2, 3]);
    // The first answer arrives at 2,000 ms (say the requests left late): the next window opens at 3,001.
    window.answered(first[0]!);
    window.answered(first[1]!);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(later);
    expect(sent.slice(3)).toEqual([
      [4, 3001],
      [5, 3001],
    ]);
  });

  it('ignores answers from an earlier window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const window = createRequestWindow(1, 1000);
    const a = await window.acquire();
    window.answered(a);
    await vi.advanceTimersByTimeAsync(1001);
    const b = await window.acquire();
    expect(b).toBe(a + 1);
    window.answered(a); // a straggler from window a must not open window b's clock
    let third = false;
    void window.acquire().then(() => (third = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(third).toBe(false);
    window.answered(b);
    await vi.advanceTimersByTimeAsync(1001);
    expect(third).toBe(true);
  });
});
