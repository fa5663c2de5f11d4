/** Waits for work in flight to settle, but no longer than `ms`: a shutdown's bounded grace. */
export async function drain(inflight: ReadonlySet<Promise<unknown>>, ms: number): Promise<void> {
  if (inflight.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inflight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
