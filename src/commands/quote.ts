import type { QuoteHit } from '../library/library.js';
import { errorReply } from '../reply/reply.js';
import { quoteHitItem } from './present.js';
import type { Command, CommandData, CommandInput, CommandServices } from './types.js';

/** How many quotes one answer shows: enough to choose from, few enough to read in a chat. */
export const QUOTE_LIMIT = 5;

/** The best quotes for the words and filters given; a filter naming no known article is a refusal. */
async function findQuotes(input: CommandInput, { library }: CommandServices): Promise<CommandData<QuoteHit[]>> {
  const query = input.options.query as string;
  const speaker = input.options.speaker as string | undefined;
  const article = input.options.article as string | undefined;
  if (article && !(await library.find(article))) return { refusal: errorReply(`No article matches "${article}". Use /articles to see what is loaded.`) };
  return { value: await library.searchQuotes({ query, ...(speaker ? { speaker } : {}), ...(article ? { article } : {}), limit: QUOTE_LIMIT }) };
}

export const quoteCommand: Command<QuoteHit[]> = {
  name: 'quote',
  description: 'Find who said what across every briefing: by words of the quote or the speaker.',
  usage: '/quote <query> [speaker] [article]',
  examples: ['/quote Peskov', '/quote never forget', '/quote support speaker:kim'],
  ephemeral: false,
  options: [
    { name: 'query', description: 'Words of the quote, or the speaker\'s name', type: 'string', required: true, maxLength: 200 },
    { name: 'speaker', description: 'Only quotes by this person (surname is enough)', type: 'string', autocomplete: 'speaker', maxLength: 100 },
    { name: 'article', description: 'Only quotes from this article', type: 'string', autocomplete: 'article', maxLength: 200 },
  ],
  data: findQuotes,
  async run(input, services) {
    const found = await findQuotes(input, services);
    if ('refusal' in found) return found.refusal;
    const hits = found.value;
    const query = input.options.query as string;
    const speaker = input.options.speaker as string | undefined;
    const article = input.options.article as string | undefined;
    if (hits.length === 0) {
      const scope = [speaker ? `by "${speaker}"` : '', article ? `in "${article}"` : ''].filter(Boolean).join(' ');
      return errorReply(`No quotes match "${query}"${scope ? ' ' + scope : ''}.`);
    }
    return {
      ephemeral: false,
      text: `${hits.length} quote${hits.length === 1 ? '' : 's'} for "${query}"`,
      cards: [{ sections: [{ items: hits.map(quoteHitItem) }] }],
      buttons: [],
    };
  },
};
