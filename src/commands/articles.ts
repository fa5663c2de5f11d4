import type { LibraryEntry } from '../library/library.js';
import { textReply } from '../reply/reply.js';
import { articleLine } from './present.js';
import type { Command, CommandData, CommandInput, CommandServices } from './types.js';

export const PAGE_SIZE = 10;

/** One page of the list: the entries on it, how many match in all, and which page of how many it is. */
export interface ArticlesPage {
  items: LibraryEntry[];
  total: number;
  page: number;
  pages: number;
}

/** The page asked for (the first by default); a page past the last is a refusal, an empty library is not. */
async function findPage(input: CommandInput, { library }: CommandServices): Promise<CommandData<ArticlesPage>> {
  const query = input.options.query as string | undefined;
  const page = (input.options.page as number | undefined) ?? 1;
  const { items, total } = await library.list({ ...(query ? { query } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (total > 0 && items.length === 0) return { refusal: textReply(pages === 1 ? 'There is only one page.' : `There are only ${pages} pages.`, { error: true }) };
  return { value: { items, total, page, pages } };
}

export const articlesCommand: Command<ArticlesPage> = {
  name: 'articles',
  description: 'List recent briefings, newest first, optionally only those matching some words.',
  usage: '/articles [query] [page]',
  examples: ['/articles', '/articles korea', '/articles page:2'],
  ephemeral: true,
  options: [
    { name: 'query', description: 'Only articles whose title or summary has these words', type: 'string', maxLength: 100 },
    { name: 'page', description: 'Page number', type: 'integer', min: 1, max: 1000 },
  ],
  data: findPage,
  async run(input, services) {
    const found = await findPage(input, services);
    if ('refusal' in found) return found.refusal;
    const { items, total, page, pages } = found.value;
    const query = input.options.query as string | undefined;
    if (total === 0) return textReply(query ? `No articles match "${query}".` : 'No articles are loaded yet.');
    const footer = pages > 1 ? `Page ${page} of ${pages}${page < pages ? ` · next: /articles ${query ? query + ' ' : ''}page:${page + 1}` : ''}` : undefined;
    return {
      ephemeral: true,
      text: `${total} article${total === 1 ? '' : 's'}${query ? ` matching "${query}"` : ''}`,
      cards: [{ sections: [{ items: items.map(articleLine) }], ...(footer ? { footer } : {}) }],
      buttons: [],
    };
  },
};
