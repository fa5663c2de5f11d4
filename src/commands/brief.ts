import { errorReply, type Reply } from './reply.js';
import { briefingButtons, briefingCard, figuresCard, LENGTHS, quotesCard, type Length } from './present.js';
import type { ActionHandler, Command, CommandServices } from './types.js';

function notFound(reference: string): Reply {
  return errorReply(`No article matches "${reference}". Use /articles to see what is loaded.`);
}

export const briefCommand: Command = {
  name: 'brief',
  description: 'Brief an article: TL;DR, key points, figures and quotes (the latest one if none is named).',
  usage: '/brief [article] [length: tldr|short|full]',
  examples: ['/brief', '/brief north korea full', '/brief article:north-korea-deploys length:tldr'],
  ephemeral: false,
  options: [
    { name: 'article', description: 'Article id or words of its title (default: the latest)', type: 'string', autocomplete: 'article', maxLength: 200 },
    { name: 'length', description: 'How much to show', type: 'string', choices: LENGTHS },
  ],
  run(input, { library }) {
    const reference = input.options.article as string | undefined;
    const entry = reference ? library.find(reference) : library.latest();
    if (!entry) return reference ? notFound(reference) : errorReply('No articles are loaded yet. Add files to the briefings folder.');
    const length = (input.options.length as Length | undefined) ?? 'short';
    return { ephemeral: false, cards: [briefingCard(entry.briefing, length)], buttons: length === 'full' ? [] : briefingButtons(entry.briefing) };
  },
};

/** The buttons under a /brief reply: `brief:figures:<id>`, `brief:quotes:<id>`, `brief:full:<id>`. */
export const briefActions: ActionHandler = {
  prefix: 'brief',
  run(argument: string, _input, { library }: CommandServices): Reply {
    const [action, ...rest] = argument.split(':');
    const id = rest.join(':');
    const entry = library.get(id) ?? library.find(id);
    if (!entry) return notFound(id);
    const card = action === 'figures' ? figuresCard(entry.briefing) : action === 'quotes' ? quotesCard(entry.briefing) : briefingCard(entry.briefing, 'full');
    return { ephemeral: true, cards: [card], buttons: [] };
  },
};
