import { errorReply } from '../reply/reply.js';
import { quoteHitItem } from './present.js';
import type { Command } from './types.js';

export const quoteCommand: Command = {
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
  run(input, { library }) {
    const query = input.options.query as string;
    const speaker = input.options.speaker as string | undefined;
    const article = input.options.article as string | undefined;
    if (article && !library.find(article)) return errorReply(`No article matches "${article}". Use /articles to see what is loaded.`);
    const hits = library.searchQuotes({ query, ...(speaker ? { speaker } : {}), ...(article ? { article } : {}), limit: 5 });
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
