import { textReply } from '../reply/reply.js';
import { articleLine } from './present.js';
import type { Command } from './types.js';

export const PAGE_SIZE = 10;

export const articlesCommand: Command = {
  name: 'articles',
  description: 'List recent briefings, newest first, optionally only those matching some words.',
  usage: '/articles [query] [page]',
  examples: ['/articles', '/articles korea', '/articles page:2'],
  ephemeral: true,
  options: [
    { name: 'query', description: 'Only articles whose title or summary has these words', type: 'string', maxLength: 100 },
    { name: 'page', description: 'Page number', type: 'integer', min: 1, max: 1000 },
  ],
  run(input, { library }) {
    const query = input.options.query as string | undefined;
    const page = (input.options.page as number | undefined) ?? 1;
    const { items, total } = library.list({ ...(query ? { query } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    if (total === 0) return textReply(query ? `No articles match "${query}".` : 'No articles are loaded yet.');
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (items.length === 0) return textReply(pages === 1 ? 'There is only one page.' : `There are only ${pages} pages.`, { error: true });
    const footer = pages > 1 ? `Page ${page} of ${pages}${page < pages ? ` · next: /articles ${query ? query + ' ' : ''}page:${page + 1}` : ''}` : undefined;
    return {
      ephemeral: true,
      text: `${total} article${total === 1 ? '' : 's'}${query ? ` matching "${query}"` : ''}`,
      cards: [{ sections: [{ items: items.map(articleLine) }], ...(footer ? { footer } : {}) }],
      buttons: [],
    };
  },
};
