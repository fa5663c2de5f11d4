/**
 * The rules for a feed's address, shared by the configuration (every problem reported with its
 * path at start-up) and `/sources add` (one refusal in chat): http(s) only, because briefbot
 * fetches nothing else, and no user name or password, because the address is shown in
 * `/sources list` and written to the logs and the store.
 */

export type FeedUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** Checks a feed address as typed (surrounding `<…>` from Slack allowed) and gives it back without its fragment. */
export function checkFeedUrl(text: string): FeedUrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim().replace(/^<|>$/g, ''));
  } catch {
    return { ok: false, problem: `"${text.slice(0, 100)}" is not a link: give the feed's full address, starting with https://` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: `a feed address must start with https:// or http:// (not ${url.protocol.slice(0, 20)}//)` };
  if (url.username || url.password) return { ok: false, problem: 'a feed address must not contain a user name or password' };
  url.hash = '';
  return { ok: true, url: url.href };
}
