import type { LibraryEntry } from '../library/library.js';
import { errorReply, type Reply, type ReplyCard } from '../reply/reply.js';
import { briefingButtons, briefingCard, describeChanges, figuresCard, formatDate, LENGTHS, quotesCard, type Length } from './present.js';
import type { ActionHandler, Command, CommandData, CommandInput, CommandServices } from './types.js';

/** How many lines of "what changed" a revised briefing shows. */
const MAX_CHANGE_LINES = 6;

/** A briefing's card, with what changed and when if the article has been revised since briefbot first saw it. */
export function entryCard(entry: LibraryEntry, length: Length): ReplyCard {
  const card = briefingCard(entry.briefing, length);
  const revision = entry.revision;
  if (!revision) return card;
  const when = `${formatDate(revision.revisedAt)} ${revision.revisedAt.slice(11, 16)} UTC`;
  const lines = describeChanges(revision.changes);
  const shown = length === 'tldr' ? lines.slice(0, 2) : lines.slice(0, MAX_CHANGE_LINES);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more change${lines.length - shown.length === 1 ? '' : 's'}`);
  card.sections.unshift({ heading: `Updated ${when} (revision ${revision.number})`, items: shown });
  return card;
}

function looksLikeUrl(text: string | undefined): text is string {
  return text !== undefined && /^<?https?:\/\//i.test(text.trim());
}

function notFound(reference: string): Reply {
  return errorReply(`No article matches "${reference}". Use /articles to see what is loaded.`);
}

/** The entry /brief shows: the one named, the link fetched, or the latest. */
async function findEntry(input: CommandInput, { library, links }: CommandServices): Promise<CommandData<LibraryEntry>> {
  let reference = input.options.article as string | undefined;
  let url = input.options.url as string | undefined;
  // "/brief https://..." typed as text lands in `article`: a link there means the link.
  if (!url && looksLikeUrl(reference)) {
    url = reference;
    reference = undefined;
  }
  if (url) {
    if (reference) return { refusal: errorReply('Give an article or a url, not both.') };
    if (!links) return { refusal: errorReply('Briefing links is not available here.') };
    return { value: (await links.brief(url.trim().replace(/^<|>$/g, ''))).entry };
  }
  const entry = reference ? await library.find(reference) : await library.latest();
  if (!entry) return { refusal: reference ? notFound(reference) : errorReply('No articles are loaded yet. Add files to the briefings folder.') };
  return { value: entry };
}

/** The reply to /brief for one entry: its card, and short of the full length, buttons for the rest. */
export function briefReply(entry: LibraryEntry, length: Length): Reply {
  return { ephemeral: false, cards: [entryCard(entry, length)], buttons: length === 'full' ? [] : briefingButtons(entry.briefing) };
}

export const briefCommand: Command<LibraryEntry> = {
  name: 'brief',
  description: 'Brief an article: TL;DR, key points, figures and quotes (the latest one if none is named).',
  usage: '/brief [article] [length: tldr|short|full] [url]',
  examples: ['/brief', '/brief north korea full', '/brief article:north-korea-deploys length:tldr', '/brief url:https://example.com/news/story'],
  ephemeral: false,
  options: [
    { name: 'article', description: 'Article id or words of its title (default: the latest)', type: 'string', autocomplete: 'article', maxLength: 200 },
    { name: 'length', description: 'How much to show', type: 'string', choices: LENGTHS },
    { name: 'url', description: 'A link to a news page: briefbot fetches it and briefs the article', type: 'string', maxLength: 2000 },
  ],
  data: findEntry,
  async run(input, services) {
    const found = await findEntry(input, services);
    if ('refusal' in found) return found.refusal;
    return briefReply(found.value, (input.options.length as Length | undefined) ?? 'short');
  },
};

/** The buttons under a /brief reply: `brief:figures:<id>`, `brief:quotes:<id>`, `brief:full:<id>`. */
export const briefActions: ActionHandler = {
  prefix: 'brief',
  async run(argument: string, _input, { library }: CommandServices): Promise<Reply> {
    const [action, ...rest] = argument.split(':');
    const id = rest.join(':');
    const entry = (await library.get(id)) ?? (await library.find(id));
    if (!entry) return notFound(id);
    const card = action === 'figures' ? figuresCard(entry.briefing) : action === 'quotes' ? quotesCard(entry.briefing) : entryCard(entry, 'full');
    return { ephemeral: true, cards: [card], buttons: [] };
  },
};
