import type { Figure } from '../briefing/index.js';
import type { FigureLine, FigureReading } from '../stories/figures-across.js';
import type { MergedPoint } from '../stories/merge-points.js';
import type { QuoteDifference, QuoteGroup } from '../stories/quote-versions.js';
import type { StoryCard } from '../stories/story-card.js';
import { OPINION_NOTE, type ReplyCard, type ReplySection } from './reply.js';

/**
 * A story as the reply model shows it: the one place a story card is put into words, for the
 * console, Discord and Slack alike (the renderers only mark it up and cut it to each platform's
 * limits). Four cards: the story itself (TL;DR and key points, each citing the outlet whose
 * sentence it shows and the others that made the same point), its figures lined up across
 * outlets, its quotes version against version, and who covered it. Plain text only.
 */

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "2026-12-04 09:00 UTC" for a date-time, "2026-12-04" for a date, as given otherwise. */
export function formatWhen(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "A, B and C": outlets named in a sentence. */
function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A story one outlet carried: its coverage names the outlet once, and nothing else needs to. */
function oneOutlet(card: StoryCard): boolean {
  return card.coverage.outlets.length <= 1;
}

/** " (Harbour Times)" after what an outlet gave, when the story has several to tell apart. */
function from(outlet: string, card: StoryCard): string {
  return oneOutlet(card) ? '' : ` (${outlet})`;
}

/** " (Harbour Times; also: Valley Post, Daily Courier)": who printed a point, and who made it too. */
function cited(point: MergedPoint, card: StoryCard): string {
  return from(point.alsoIn.length > 0 ? `${point.outlet}; also: ${point.alsoIn.join(', ')}` : point.outlet, card);
}

/** "Carried by 3 outlets: A, B, C" and, when copies were collapsed, how many distinct reports. */
/**
 * The story's outlets as a reader should read them: an article that says nothing of its outlet or
 * address is told apart by its id, and the reader is told the outlet is not named.
 */
export function outletNames(card: StoryCard, outlets: readonly string[] = card.coverage.outlets): string[] {
  const ids = new Set(card.coverage.reports.flatMap((r) => r.articles));
  return outlets.map((o) => (ids.has(o) ? `not named (article ${o})` : o));
}

function carriedBy(card: StoryCard): string {
  const { articles, reports } = card.coverage;
  const outlets = outletNames(card);
  const head = outlets.length === 1 ? `Carried by 1 outlet: ${outlets[0]}` : `Carried by ${outlets.length} outlets: ${outlets.join(', ')}`;
  const copies = reports.length < articles ? ` (${plural(articles, 'article')}, ${plural(reports.length, 'distinct report')})` : '';
  return `${head}${copies}.`;
}

function footerOf(card: StoryCard): string {
  const first = formatWhen(card.firstSeen)?.slice(0, 10);
  const latest = formatWhen(card.lastSeen)?.slice(0, 10);
  const span = first && latest && first !== latest ? `${first} to ${latest}` : (latest ?? first);
  return [`story: ${card.id}`, card.state, span].filter(Boolean).join(' · ');
}

/** The story: its title, the TL;DR and key points drawn from all its outlets, and who carried it. */
export function storyCard(card: StoryCard): ReplyCard {
  const sections: ReplySection[] = [];
  if (card.opinionOnly) sections.push({ text: OPINION_NOTE });
  if (card.keyPoints.length > 0) sections.push({ heading: 'Key points', items: card.keyPoints.map((p) => `${p.text}${cited(p, card)}`) });
  // What a reader must not miss is said on the card itself: outlets giving different figures, and misquotes.
  const warnings = [
    ...card.figures.filter((l) => l.kind === 'disagreement').map((l) => `Figures disagree on ${l.measure}: ${l.note}`),
    ...card.quotes.filter((g) => g.flagged).map((g) => `${g.speaker ? `${g.speaker}'s` : 'An unattributed'} quote differs: ${g.versions.filter((v) => v.differences.length > 0).map((v) => `${v.outlet} (${differenceLabels(v.differences)})`).join(', ')}`),
  ];
  if (warnings.length > 0) sections.push({ heading: 'Where outlets differ', items: warnings });
  sections.push({ heading: 'Coverage', text: carriedBy(card) });
  return { title: card.title, description: `${card.tldr.text}${cited(card.tldr, card)}`, sections, footer: footerOf(card) };
}

/** A figure as a reader says it: "10,000 troops (estimated)". */
function figureText(figure: Figure): string {
  const words = [figure.value, figure.what].filter(Boolean).join(' ');
  return figure.hedge ? `${words} (${figure.hedge})` : words;
}

/** "10,000 — Army officials in Harbour Times, published 2026-12-04 09:00 UTC". */
function readingLine(r: FigureReading): string {
  const who = r.assertedBy === r.outlet ? r.outlet : `${r.assertedBy} in ${r.outlet}`;
  // A day the sentence pins the count to, else when the outlet published it.
  const when = r.asOf ? `as of ${r.asOf}` : r.published ? `published ${formatWhen(r.published)}` : 'undated';
  const hedge = r.figure.hedge ? ` (${r.figure.hedge})` : '';
  return `${r.figure.value}${hedge} — ${who}, ${when}`;
}

const RELATION: Record<FigureLine['kind'], string> = { disagreement: 'outlets disagree', update: 'updated', agreement: 'outlets agree' };

function figureLineSection(line: FigureLine): ReplySection {
  return { heading: `${line.measure}: ${RELATION[line.kind]}`, text: line.note, items: line.readings.map(readingLine) };
}

/** The story's figures: each measure given by two outlets or more, read as disagreement, update or agreement; then those one outlet alone gives. */
export function figuresCard(card: StoryCard): ReplyCard {
  // Disagreements first: they are what a reader must not miss.
  const order: Record<FigureLine['kind'], number> = { disagreement: 0, update: 1, agreement: 2 };
  const lines = [...card.figures].sort((a, b) => order[a.kind] - order[b.kind]);
  const sections = lines.map(figureLineSection);
  if (card.soloFigures.length > 0) {
    sections.push({ heading: oneOutlet(card) ? 'Figures' : 'Given by one outlet', items: card.soloFigures.map((s) => `${figureText(s.figure)}${s.figure.attributedTo ? `, per ${s.figure.attributedTo}` : ''}${from(s.outlet, card)}`) });
  }
  if (sections.length === 0) sections.push({ text: 'No figures in this story.' });
  return { title: `Figures: ${card.title}`, sections, footer: footerOf(card) };
}

/**
 * A difference between two printings of a quote, in a few words: "negation dropped", "number
 * changed", "truncated", "spliced", "wording changed". The detail says exactly what.
 */
export function differenceLabel(difference: QuoteDifference): string {
  switch (difference.kind) {
    case 'negation':
      // quoteDifferences words a dropped negation `no "not" where …` and an added one `"not" where … has none`.
      return difference.detail.startsWith('no ') ? 'negation dropped' : 'negation added';
    case 'number':
      return 'number changed';
    case 'truncation':
      return difference.detail.startsWith('runs on') ? 'runs on' : 'truncated';
    case 'splice':
      return 'spliced';
    default:
      return 'wording changed';
  }
}

/** "negation dropped, truncated": a version's differences as labels. */
export function differenceLabels(differences: readonly QuoteDifference[]): string {
  return differences.map(differenceLabel).join(', ');
}

function speakerOf(group: QuoteGroup): string {
  const ref = group.versions[group.reference]!.quote;
  if (!group.speaker) return ref.source ? `As described: ${ref.source}` : 'Unattributed';
  return ref.role && ref.speaker === group.speaker ? `${group.speaker}, ${ref.role}` : group.speaker;
}

function quoteGroupSection(group: QuoteGroup): ReplySection {
  const ref = group.versions[group.reference]!;
  const same = group.versions.filter((v) => v.differences.length === 0).map((v) => v.outlet);
  const items = [`As printed by ${listed(same)}${group.flagged ? '' : ' (no outlet differs)'}`];
  for (const v of group.versions) {
    if (v.differences.length === 0) continue;
    items.push(`${v.outlet} differs (${differenceLabels(v.differences)}): “${v.quote.text}” — ${v.differences.map((d) => d.detail).join('; ')}`);
  }
  return { heading: `${speakerOf(group)}${group.flagged ? ' — versions differ' : ''}`, text: `“${ref.quote.text}”`, items };
}

/** The story's quotes: each quote printed by two outlets or more, its versions and their flagged differences; then those one outlet alone printed. */
export function quotesCard(card: StoryCard): ReplyCard {
  // Flagged groups first: a misquote is the reason to look.
  const groups = [...card.quotes].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  const sections = groups.map(quoteGroupSection);
  if (card.soloQuotes.length > 0) {
    sections.push({
      heading: oneOutlet(card) ? 'Quotes' : 'Printed by one outlet',
      items: card.soloQuotes.map((s) => `“${s.quote.text}” — ${s.quote.speaker}${s.quote.role ? `, ${s.quote.role}` : ''}${from(s.outlet, card)}`),
    });
  }
  if (sections.length === 0) sections.push({ text: 'No quotes with a named speaker in this story.' });
  return { title: `Quotes: ${card.title}`, sections, footer: footerOf(card) };
}

function markLine(label: string, mark: StoryCard['coverage']['first']): string {
  const when = formatWhen(mark.published);
  return `${label}: ${mark.outlet}, “${mark.title}”${when ? `, ${when}` : ''} (id: ${mark.briefingId})`;
}

/** Who covered the story: its outlets, each distinct text once with the outlets that carried it, and the first and latest report. */
export function coverageCard(card: StoryCard): ReplyCard {
  const { coverage } = card;
  const reports = coverage.reports.map((r) => {
    if (r.articles.length > 1 || r.outlets.length > 1) {
      const whose = r.wire ? `${r.wire} text` : 'One text';
      return `${whose} carried by ${plural(r.outlets.length, 'outlet')}: ${outletNames(card, r.outlets).join(', ')} (${plural(r.articles.length, 'article')})`;
    }
    return `${outletNames(card, [r.outlets[0] ?? r.articles[0]!])[0]}: its own report${r.wire ? ` (credits ${r.wire})` : ''}`;
  });
  return {
    title: `Coverage: ${card.title}`,
    sections: [
      { text: carriedBy(card) },
      { heading: `Reports (${coverage.reports.length})`, items: reports },
      { heading: 'First and latest', items: [markLine('First', coverage.first), markLine('Latest', coverage.latest)] },
    ],
    footer: footerOf(card),
  };
}
