/** An ISO time as the stores compare it (SQLite compares text, so always in one form), or a clear error naming `what`. */
export function storeTime(value: string, what: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`${what} needs a time, got ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}
