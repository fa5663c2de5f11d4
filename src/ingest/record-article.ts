import { createHash } from 'node:crypto';
import { shortHash, type Article } from '../articles/index.js';
import { createBriefing, type Briefing } from '../briefing/index.js';
import type { BriefingChanges, EntryRevision, Library, LibraryEntry } from '../library/library.js';
import { diffBriefings } from '../library/changes.js';
import type { IngestState } from './ingest-state.js';

/**
 * The one place an article becomes a library entry, whichever way it came in: briefed, hashed,
 * and either added, recognised as unchanged, or filed as a new revision of the same article with
 * what changed and when.
 */

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The text that identifies an article's content: headline, highlights and body. */
export function articleText(article: Article): string {
  return [article.title, ...article.highlights, ...article.blocks.map((b) => b.text)].join('\n');
}

export type RecordStatus = 'added' | 'revised' | 'unchanged';

export interface RecordResult {
  status: RecordStatus;
  entry: LibraryEntry;
  /** Set when status is `revised`. */
  revision?: EntryRevision;
}

/** What ingestion tells the rest of the bot: an article arrived, or an article changed. */
export interface IngestEvent {
  kind: 'new' | 'revised';
  /** The feed source id, `folder:<dir>` or `link`. */
  sourceId: string;
  entry: LibraryEntry;
  changes?: BriefingChanges;
}

export interface RecordInput {
  article: Article;
  /** Where it came from: a file path, the item's URL. */
  source: string;
  /** The id this article already has (a known file or feed item); its headline may have changed since. */
  articleId?: string;
  now: Date;
}

/**
 * The id for an article seen for the first time: its own, unless another article (from another
 * source) already has it, when a short hash of the source keeps the two apart.
 */
export async function freshArticleId(library: Library, article: Article, source: string): Promise<string> {
  const existing = await library.get(article.id);
  if (!existing || existing.source === undefined || existing.source === source) return article.id;
  return `${article.id.slice(0, 100)}-${shortHash(source).slice(0, 6)}`;
}

export interface RecordDeps {
  library: Library;
  state?: IngestState;
  /** Briefs an article; a cache of earlier briefings (the command line's) stands in for the engine here. Default: createBriefing. */
  brief?: (article: Article) => Briefing;
}

export async function recordArticle(deps: RecordDeps, input: RecordInput): Promise<RecordResult> {
  const { library, state } = deps;
  const article = { ...input.article, id: input.articleId ?? await freshArticleId(library, input.article, input.source) };
  const contentHash = hashText(articleText(article));
  const existing = await library.get(article.id);
  // Checked before briefing: re-reading a folder or a feed costs a hash, not a briefing.
  if (existing && existing.contentHash === contentHash) return { status: 'unchanged', entry: existing };
  const briefing = (deps.brief ?? createBriefing)(article);
  const at = input.now.toISOString();

  if (!existing) {
    const entry: LibraryEntry = { briefing, ingestedAt: at, contentHash, source: input.source };
    await library.add(entry, { article });
    await state?.appendRevision({ articleId: article.id, number: 1, contentHash, at, source: input.source });
    return { status: 'added', entry: (await library.get(article.id)) ?? entry };
  }

  const history = (await state?.listRevisions(article.id)) ?? [];
  const previousNumber = history.at(-1)?.number ?? existing.revision?.number ?? 1;
  if (state && history.length === 0) {
    // Loaded before ingestion state existed (or by the plain folder loader): that was revision 1.
    await state.appendRevision({ articleId: article.id, number: previousNumber, contentHash: existing.contentHash, at: existing.revision?.revisedAt ?? existing.ingestedAt, source: existing.source ?? input.source });
  }
  const revision: EntryRevision = { number: previousNumber + 1, revisedAt: at, previousHash: existing.contentHash, changes: diffBriefings(existing.briefing, briefing) };
  const entry: LibraryEntry = { briefing, ingestedAt: at, contentHash, source: input.source, revision };
  await library.add(entry, { article });
  await state?.appendRevision({ articleId: article.id, number: revision.number, contentHash, at, source: input.source, changes: revision.changes });
  return { status: 'revised', entry: (await library.get(article.id)) ?? entry, revision };
}
