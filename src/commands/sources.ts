import { formatDate } from './present.js';
import { textReply, type Reply } from '../reply/reply.js';
import type { Command, SourceInfo } from './types.js';

/**
 * /sources: the feeds briefbot follows. Anyone may list them (with each one's health, so a
 * broken feed is visible); adding and removing change what every channel's digests draw from,
 * so only people who may manage the channel can.
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function sourceLine(source: SourceInfo, index: number): string {
  const name = source.name ? `${source.name} — ${source.url}` : source.url;
  const parts = [`${index + 1}. ${name}`];
  if (source.status === 'failing') parts.push(`FAILING (${plural(source.consecutiveFailures, 'error')} in a row${source.lastError ? `: ${source.lastError}` : ''})`);
  else if (source.status === 'new') parts.push(source.lastError ? `not read yet (${source.lastError})` : 'not read yet');
  else parts.push('ok');
  parts.push(`every ${source.intervalMinutes} min`);
  const last = formatDate(source.lastSuccessAt);
  if (last) parts.push(`last read ${last} ${source.lastSuccessAt!.slice(11, 16)} UTC`);
  parts.push(`${source.delivered} briefed, ${source.backlog} backlog`);
  if (source.origin === 'config') parts.push('from config');
  return parts.join(' · ');
}

function notAvailable(): Reply {
  return textReply('Feeds are not running here: start briefbot to follow feeds.', { error: true });
}

export const sourcesCommand: Command = {
  name: 'sources',
  description: 'The news feeds briefbot follows: list them with their health, add one, remove one.',
  usage: '/sources list | add <feed url> | remove <number or url>',
  examples: ['/sources list', '/sources add https://example.com/feed.xml', '/sources remove 2'],
  ephemeral: true,
  options: [],
  subcommands: [
    { name: 'list', description: 'Feeds followed, whether each is working, and what it brought', options: [] },
    {
      name: 'add',
      description: 'Follow an RSS, Atom or JSON feed (channel managers only)',
      requiresManager: true,
      options: [{ name: 'url', description: 'The feed address, starting with https://', type: 'string', required: true, maxLength: 2000 }],
    },
    {
      name: 'remove',
      description: 'Stop following a feed (channel managers only)',
      requiresManager: true,
      options: [{ name: 'source', description: 'Its number in /sources list, or its address', type: 'string', required: true, maxLength: 2000 }],
    },
  ],
  async run(input, services) {
    const sources = services.sources;
    if (!sources) return notAvailable();
    switch (input.subcommand) {
      case 'list': {
        const list = await sources.list();
        if (list.length === 0) return textReply('No feeds yet. A channel manager can add one: /sources add https://example.com/feed.xml');
        const failing = list.filter((s) => s.status === 'failing').length;
        return {
          ephemeral: true,
          text: `${plural(list.length, 'feed')}${failing > 0 ? `, ${failing} failing` : ''}`,
          cards: [{ title: 'Feeds followed', sections: [{ items: list.map(sourceLine) }], footer: 'Remove one with /sources remove <number>' }],
          buttons: [],
        };
      }
      case 'add': {
        const added = await sources.add(input.options.url as string, input.user.name ?? input.user.id);
        const name = added.name ?? added.url;
        const backlog = added.backlog > 0 ? ` Its ${plural(added.backlog, 'existing item')} ${added.backlog === 1 ? 'was' : 'were'} recorded as backlog, not posted.` : '';
        return textReply(`Now following ${name}: new items are briefed every ${added.intervalMinutes} minutes.${backlog}`, { ephemeral: false });
      }
      case 'remove': {
        const removed = await sources.remove(input.options.source as string);
        return textReply(`Stopped following ${removed.name ?? removed.url}. Its briefings stay in the library.`, { ephemeral: false });
      }
      default:
        return textReply('Say which: /sources list, add or remove.', { error: true });
    }
  },
};
