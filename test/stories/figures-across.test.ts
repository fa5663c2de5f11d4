import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../src/articles/index.js';
import { asOfDay, lineUpFigures, type FigureLine } from '../../src/stories/figures-across.js';
import { reportOf, type OutletReport } from '../../src/stories/outlet-report.js';

/**
 * Figures across outlets, on short articles written for these tests and briefed by the real
 * engine: the same measure lined up across outlets and read as a disagreement (same time), an
 * update (later time) or agreement; an unrelated figure that happens to carry the same number is
 * never lined up with it.
 */

const report = (id: string, outlet: string, published: string, body: string): OutletReport =>
  reportOf(readPlainText(`${body}`, { id, outlet, published, title: `Report ${id}` }));

const values = (line: FigureLine): string[] => line.readings.map((r) => `${r.outlet}:${r.figure.value}`);

describe('figures across outlets', () => {
  it('reads two outlets giving different figures for the same measure at the same time as a disagreement', () => {
    const reuters = report('r1', 'Reuters', '2026-12-04T09:00:00Z', 'The Pentagon said 10,000 North Korean troops had moved to the Kursk region. Officials said 40 homes were destroyed in shelling near Sudzha.');
    const ap = report('ap1', 'AP', '2026-12-04T10:30:00Z', 'Ukrainian President Volodymyr Zelensky said 12,000 North Korean troops were in the Kursk region. He said 40 civilians were killed in the shelling of Sudzha.');
    const lines = lineUpFigures([ap, reuters]);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line!.kind).toBe('disagreement');
    expect(line!.measure).toBe('North Korean troops');
    // Earliest first, each with who asserted it.
    expect(values(line!)).toEqual(['Reuters:10,000', 'AP:12,000']);
    expect(line!.readings.map((r) => r.assertedBy)).toEqual(['Pentagon', 'Volodymyr Zelensky']);
    expect(line!.note).toBe('10,000 (Pentagon, Reuters) vs 12,000 (Volodymyr Zelensky, AP)');
  });

  it('reads a later figure for the same measure as an update, earlier → later', () => {
    const first = report('bbc1', 'BBC', '2026-12-02T08:00:00Z', 'Health officials said the outbreak had killed 6,125 people in Kinshasa.');
    const later = report('afp1', 'AFP', '2026-12-04T08:00:00Z', 'Health officials said the outbreak had killed 6,301 people in Kinshasa.');
    const [line, ...rest] = lineUpFigures([later, first]);
    expect(rest).toEqual([]);
    expect(line!.kind).toBe('update');
    expect(line!.measure).toBe('people killed');
    expect(line!.note).toBe('6,125 → 6,301');
    expect(values(line!)).toEqual(['BBC:6,125', 'AFP:6,301']);
  });

  it('places a count by the day its sentence gives ("as of Monday"), not by when it was published', () => {
    // Published on the same day, so by publication they would be a disagreement; the sentences
    // say the counts are of Monday and of Wednesday.
    const a = report('a', 'Guardian', '2026-12-02T18:00:00Z', 'As of Monday, the council said 120 homes had been damaged in the storm in Porto.');
    const b = report('b', 'Le Monde', '2026-12-02T19:00:00Z', 'As of Wednesday, the council said 310 homes had been damaged in the storm in Porto.');
    const [line] = lineUpFigures([a, b]);
    expect(line!.kind).toBe('update');
    expect(line!.readings.map((r) => r.asOf)).toEqual(['2026-11-30', '2026-12-02']);
    expect(line!.note).toBe('120 → 310');
  });

  it('reads a later report that says the count moved ("has now killed") as an update, even an hour later', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Police said 12 people were killed in the blast in Quetta.');
    const moved = report('b', 'AP', '2026-12-04T10:00:00Z', 'The blast in Quetta has now killed 19 people, police said.');
    const plain = report('c', 'BBC', '2026-12-04T10:00:00Z', 'Police said 19 people were killed in the blast in Quetta.');
    expect(lineUpFigures([a, moved]).map((l) => [l.kind, l.note])).toEqual([['update', '12 → 19']]);
    // Said plainly an hour later, a different count is another source's figure.
    expect(lineUpFigures([a, plain]).map((l) => l.kind)).toEqual(['disagreement']);
  });

  it('reads the same figure from two outlets as agreement, and a hedge that allows the other figure as no disagreement', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Police said 45 people were killed in the blast in Quetta.');
    const b = report('b', 'AP', '2026-12-04T09:40:00Z', 'Police said 45 people were killed in the blast in Quetta.');
    const c = report('c', 'Dawn', '2026-12-04T10:00:00Z', 'More than 40 people were killed in the blast in Quetta, police said.');
    const [line] = lineUpFigures([a, b, c]);
    expect(line!.readings).toHaveLength(3);
    expect(line!.kind).toBe('agreement');
    expect(line!.steps.map((s) => s.kind)).toEqual(['agreement']);
  });

  it('never lines up an unrelated figure that carries the same number', () => {
    // 40 killed, 40 homes destroyed, 40 arrested: one number, three measures.
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Police said 40 people were killed in the riots in Dhaka.');
    const b = report('b', 'AP', '2026-12-04T09:30:00Z', 'Officials said 40 homes were burned in the riots in Dhaka.');
    const c = report('c', 'BBC', '2026-12-04T09:45:00Z', 'Police said 40 people were arrested after the riots in Dhaka.');
    expect(a.briefing.figures.map((f) => f.value)).toContain('40');
    expect(b.briefing.figures.map((f) => f.value)).toContain('40');
    expect(c.briefing.figures.map((f) => f.value)).toContain('40');
    expect(lineUpFigures([a, b, c])).toEqual([]);
  });

  it('keeps counts of different places apart', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Rescuers said 12 people were killed in the floods in Valencia.');
    const b = report('b', 'AP', '2026-12-04T09:30:00Z', 'Rescuers said 30 people were killed in the floods in Malaga.');
    expect(a.briefing.places).toContain('Valencia');
    expect(b.briefing.places).toContain('Malaga');
    expect(lineUpFigures([a, b])).toEqual([]);
  });

  it('needs two outlets: one outlet repeating itself, or alone, is not a comparison', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Police said 45 people were killed in the blast in Quetta. A police spokesman repeated that 45 people were killed in the blast.');
    expect(lineUpFigures([a])).toEqual([]);
  });

  it('says what is wrong with a report whose sentences do not belong to its briefing', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', 'Police said 45 people were killed in the blast in Quetta.');
    expect(() => lineUpFigures([{ ...a, sentences: [] }])).toThrow(/points at sentence 0, but its report holds 0 sentences/);
    expect(() => lineUpFigures([a], { sameTimeHours: -1 })).toThrow(/sameTimeHours/);
  });
});

describe('the day a count is as of', () => {
  it('resolves weekdays, yesterday and month-days against the published day', () => {
    // 2026-12-04 is a Friday.
    expect(asOfDay('As of Monday, 40 had died.', '2026-12-04T09:00:00Z')).toBe('2026-11-30');
    expect(asOfDay('Officials said Friday that 40 had died.', '2026-12-04T09:00:00Z')).toBe('2026-12-04');
    expect(asOfDay('By yesterday, 40 had died.', '2026-12-04')).toBe('2026-12-03');
    expect(asOfDay('As of Dec 30, 40 had died.', '2027-01-02T09:00:00Z')).toBe('2026-12-30');
    expect(asOfDay('As of 3 December 2026, 40 had died.', undefined)).toBe('2026-12-03');
  });

  it('does not read the day of the event as the day of the count', () => {
    expect(asOfDay('The dam burst on Monday, killing 40 people.', '2026-12-04T09:00:00Z')).toBeUndefined();
    expect(asOfDay('As of Monday, 40 had died.', undefined)).toBeUndefined();
  });
});
