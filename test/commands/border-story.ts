/**
 * A story written for the /story and /quote tests: three outlets report the same collapse of
 * border talks within three hours. The Harbour Times and the Valley Post print the defence
 * minister's quote as she said it; the Daily Courier drops its "not". The Harbour Times gives
 * 10,000 troops on the border (army officials), the Valley Post 12,000 (the opposition leader),
 * at the same time. One unrelated article stands beside them.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArticleText } from '../../src/articles/index.js';
import { ingestArticle } from '../../src/ingest/briefings-folder.js';
import type { Library } from '../../src/library/library.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';

const QUOTE = 'We will not withdraw our soldiers from the border. The talks have failed, and we are ready to defend every village.';

function article(meta: { title: string; outlet: string; published: string }, body: string): string {
  return `---\ntitle: ${JSON.stringify(meta.title)}\noutlet: ${meta.outlet}\npublished: ${meta.published}\n---\n${body}\n`;
}

/** The articles' ids (slugs of their titles, as the library names them); the story takes the first one's. */
export const BORDER = {
  herald: 'kovac-keeps-troops-on-northern-border-as-zagreb-talks',
  post: 'zagreb-border-talks-collapse-kovac-says-troops-stay-on',
  courier: 'kovac-troops-on-northern-border-after-zagreb-talks-collapse',
  orchard: 'orchard-festival-draws-record-crowds-to-lindenfeld',
} as const;

/** File name → markdown text, in the order they arrive (a folder's, by name). */
export const BORDER_FILES: ReadonlyArray<{ name: string; text: string }> = [
  {
    name: '0-orchard.md',
    text: article(
      { title: 'Orchard festival draws record crowds to Lindenfeld', outlet: 'Valley Post', published: '2026-12-03T15:00:00Z' },
      [
        'The annual orchard festival in Lindenfeld drew a record 42,000 visitors over the weekend, organisers said.',
        '"This is the best harvest we have had in a decade," said festival director Anna Brandt.',
        'Cider makers from twelve villages sold out of their stock by Sunday afternoon.',
      ].join('\n\n'),
    ),
  },
  {
    name: '1-harbour-times.md',
    text: article(
      { title: 'Kovac keeps troops on northern border as Zagreb talks collapse', outlet: 'Harbour Times', published: '2026-12-04T09:00:00Z' },
      [
        'Defence Minister Maria Kovac said the army would hold its positions on the northern border after talks in Zagreb collapsed on Wednesday night.',
        `"${QUOTE.replace(/\.$/, ',')}" Kovac told reporters in Zagreb.`,
        'Army officials said 10,000 troops were deployed along the northern border.',
        'The talks between the two governments broke down after six hours of negotiation over the disputed border crossings.',
      ].join('\n\n'),
    ),
  },
  {
    name: '2-valley-post.md',
    text: article(
      { title: 'Zagreb border talks collapse; Kovac says troops stay on northern border', outlet: 'Valley Post', published: '2026-12-04T10:00:00Z' },
      [
        'Talks in Zagreb over the disputed northern border crossings collapsed on Wednesday night, and Defence Minister Maria Kovac said the army would hold its positions.',
        `"${QUOTE.replace(/\.$/, ',')}" Kovac said.`,
        'Opposition leader Ivan Horvat said 12,000 troops were deployed along the northern border.',
        'The negotiation between the two governments lasted six hours before it broke down.',
      ].join('\n\n'),
    ),
  },
  {
    name: '3-daily-courier.md',
    text: article(
      { title: 'Kovac: troops on northern border after Zagreb talks collapse', outlet: 'Daily Courier', published: '2026-12-04T11:00:00Z' },
      [
        'Defence Minister Maria Kovac spoke after the talks in Zagreb on the northern border crossings collapsed on Wednesday night.',
        `"${QUOTE.replace('will not withdraw', 'will withdraw').replace(/\.$/, ',')}" Kovac told reporters.`,
        'The two governments negotiated for six hours before the talks broke down over the disputed border crossings.',
      ].join('\n\n'),
    ),
  },
];

/** The files, read and briefed into a memory library, in order. */
export async function borderLibrary(files = BORDER_FILES): Promise<Library> {
  const library = createMemoryLibrary();
  for (const f of files) await ingestArticle(library, readArticleText(f.text, f.name), `test:${f.name}`, new Date('2026-12-04T12:00:00Z'));
  return library;
}

/** The files written to a fresh folder, for a process to read as its briefings folder. */
export async function borderFolder(files = BORDER_FILES): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'briefbot-border-'));
  for (const f of files) await writeFile(join(dir, f.name), f.text);
  return dir;
}
