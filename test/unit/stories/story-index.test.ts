import { describe, expect, it } from 'vitest';
import { createStoryIndex, featuresOf, groupArticles, sketchOf, sketchSimilarity, wireOf, type StoryArticle } from '../../../src/stories/index.js';
import { bridgeGazette, bridgeHerald, libraryOpening, stormOwnReport, stormWire1, stormWire2, stormWire3, unrelated } from './articles.js';
import { marathonAngles, marathonHalted, sameDaysNews } from './marathon.js';

const storyOf = (articles: StoryArticle[]): Map<string, string> => new Map(groupArticles(articles).assignments.map((a) => [a.id, a.story]));


// Two halves of one event, far enough apart in wording to start two stories.
const half1: StoryArticle = { id: 'h1', published: '2026-03-02T09:00:00Z', title: 'Harbor Street bridge collapses into Millbrook River', text: 'Part of the Harbor Street bridge collapsed into the Millbrook River, fire chief Daniel Reyes said. Two workers were hurt.' };
const half2: StoryArticle = { id: 'h2', published: '2026-03-02T10:00:00Z', title: 'Westport traffic diverted to Canal Road crossing', text: 'Drivers in Westport were sent to the Canal Road crossing, Mayor Linda Okafor said, and told to expect delays.' };
describe('story grouping', () => {
  it('joins two outlets reporting the same event', () => {
    const s = storyOf([...unrelated, bridgeGazette, bridgeHerald]);
    expect(s.get('herald-bridge')).toBe(s.get('gazette-bridge'));
    expect(s.get('tech-chip')).not.toBe(s.get('gazette-bridge'));
  });

  it('keeps apart the same people at another event on the same day', () => {
    const s = storyOf([...unrelated, bridgeGazette, bridgeHerald, libraryOpening]);
    expect(s.get('gazette-library')).not.toBe(s.get('gazette-bridge'));
    expect(new Set(s.values()).size).toBe(4);
  });

  it('counts a wire story carried by three outlets as one report, and an own report apart', () => {
    const index = createStoryIndex();
    for (const a of [...unrelated, bridgeGazette, stormWire1, stormWire2, stormWire3, stormOwnReport]) index.add(a);
    const story = index.story(index.storyOf('wire-storm-1')!)!;
    expect(story.articles).toEqual(['wire-storm-1', 'wire-storm-2', 'wire-storm-3', 'herald-storm']);
    expect(story.reports).toEqual([
      { articles: ['wire-storm-1', 'wire-storm-2', 'wire-storm-3'], outlets: ['Portland Daily', 'Boston Ledger', 'Lakes Region News'], wire: 'AP' },
      { articles: ['herald-storm'], outlets: ['Millbrook Herald'] },
    ]);
    expect(story.outlets).toEqual(['Portland Daily', 'Boston Ledger', 'Lakes Region News', 'Millbrook Herald']);
    expect(story.title).toBe('Storm knocks out power to 200,000 in Maine');
  });

  it('says whether an added article started a story or copied a report', () => {
    const index = createStoryIndex();
    expect(index.add(stormWire1)).toEqual({ article: 'wire-storm-1', story: 'wire-storm-1', created: true, copy: false });
    expect(index.add(stormWire2)).toEqual({ article: 'wire-storm-2', story: 'wire-storm-1', created: false, copy: true });
    expect(index.add(stormOwnReport)).toMatchObject({ story: 'wire-storm-1', created: false, copy: false });
  });

  it('is deterministic: the same articles in the same order give the same stories', () => {
    const articles = [...unrelated, bridgeGazette, libraryOpening, bridgeHerald, stormWire1, stormOwnReport, stormWire3];
    const a = groupArticles(articles);
    const b = groupArticles(articles.map((x) => ({ ...x })));
    expect(b.assignments).toEqual(a.assignments);
    expect(b.index.stories()).toEqual(a.index.stories());
  });

  it('decides a pair the same way whichever arrives first', () => {
    for (const [x, y, together] of [
      [bridgeGazette, bridgeHerald, true],
      [bridgeGazette, libraryOpening, false],
      [stormWire1, stormOwnReport, true],
      [stormWire3, bridgeHerald, false],
    ] as const) {
      const forward = storyOf([...unrelated, x, y]);
      const backward = storyOf([...unrelated, y, x]);
      expect(forward.get(x.id) === forward.get(y.id)).toBe(together);
      expect(backward.get(x.id) === backward.get(y.id)).toBe(together);
    }
  });

  it('starts a new story for the same report outside the time window', () => {
    const later = { ...bridgeHerald, id: 'herald-bridge-later', published: '2026-03-12T09:00:00Z' };
    const s = storyOf([bridgeGazette, later]);
    expect(s.get('herald-bridge-later')).not.toBe(s.get('gazette-bridge'));
    const within = storyOf([bridgeGazette, { ...later, published: '2026-03-04T09:00:00Z' }]);
    expect(within.get('herald-bridge-later')).toBe(within.get('gazette-bridge'));
  });

  it('gives a story its times and a state: new, developing, quiet', () => {
    const index = createStoryIndex();
    index.add(bridgeGazette);
    expect(index.story('gazette-bridge')).toMatchObject({ state: 'new', firstSeen: '2026-03-02T09:00:00.000Z', lastSeen: '2026-03-02T09:00:00.000Z' });
    index.add(bridgeHerald);
    expect(index.story('gazette-bridge')).toMatchObject({ state: 'developing', lastSeen: '2026-03-02T13:30:00.000Z' });
    // Two days later the clock has moved on and the bridge story has had nothing new.
    index.add({ ...unrelated[0]!, id: 'later-news', published: '2026-03-04T13:30:00Z' });
    expect(index.story('gazette-bridge')!.state).toBe('quiet');
  });

  it('takes an undated article at the latest time seen', () => {
    const index = createStoryIndex();
    index.add(bridgeGazette);
    index.add({ ...bridgeHerald, published: null });
    expect(index.story('gazette-bridge')).toMatchObject({ articles: ['gazette-bridge', 'herald-bridge'], lastSeen: '2026-03-02T09:00:00.000Z' });
  });

  it('refuses an article added twice, and a date it cannot read', () => {
    const index = createStoryIndex();
    index.add(bridgeGazette);
    expect(() => index.add(bridgeGazette)).toThrow(/"gazette-bridge" was already added/);
    expect(() => index.add({ ...bridgeHerald, published: 'last Tuesday' })).toThrow(/"published" is not a date/);
  });

  it('forgets stories older than a time, and their words stop finding them', () => {
    const index = createStoryIndex({ windowDays: 30 });
    index.add(bridgeGazette);
    index.add(stormWire1);
    expect(index.forget('2026-03-03T00:00:00Z')).toBe(1);
    expect(index.story('gazette-bridge')).toBeUndefined();
    expect(index.stories().map((s) => s.id)).toEqual(['wire-storm-1']);
    expect(index.add(bridgeHerald).created).toBe(true);
  });

  it('asks more of the words of an article with no date, since no time says it is of the same moment', () => {
    const undated = (a: StoryArticle): StoryArticle => ({ id: a.id, text: a.text, ...(a.title ? { title: a.title } : {}) });
    const options = { undatedJoinSimilarity: 0.95 };
    const dated = createStoryIndex(options);
    dated.add(bridgeGazette);
    expect(dated.add(bridgeHerald).story).toBe('gazette-bridge');
    const withoutDates = createStoryIndex(options);
    withoutDates.add(undated(bridgeGazette));
    expect(withoutDates.add(undated(bridgeHerald)).created).toBe(true);
    // With the default bar, two reports of one event still meet it without dates.
    const byDefault = createStoryIndex();
    byDefault.add(undated(bridgeGazette));
    expect(byDefault.add(undated(bridgeHerald)).story).toBe('gazette-bridge');
  });

  it('does not let an article with no date bridge stories it could not join', () => {
    // The undated report is similar enough to join the first half, not to join the second.
    const index = createStoryIndex({ joinSimilarity: 0.1, mergeSimilarity: 0.2, undatedJoinSimilarity: 0.6 });
    index.add(half1);
    index.add(half2);
    const bridge = index.add({ id: 'h3', title: 'Harbor Street bridge collapse in Millbrook River sends Westport drivers to Canal Road', text: `${half1.text} ${half2.text}` });
    expect(bridge.story).toBe('h1');
    expect(index.storyOf('h2')).toBe('h2');
  });

  it('merges two stories an article bridges, under the older id', () => {
    // Two halves of one event arrive far enough apart in wording to start two stories; a third
    // report that tells both halves joins them.
    const index = createStoryIndex({ joinSimilarity: 0.5, mergeSimilarity: 0.2 });
    index.add(half1);
    expect(index.add(half2).created).toBe(true);
    const both = { id: 'h3', published: '2026-03-02T11:00:00Z', title: 'Harbor Street bridge collapse sends Westport traffic to Canal Road', text: `${half1.text} ${half2.text}` };
    index.add(both);
    expect(index.storyOf('h2')).toBe('h1');
    expect(index.story('h2')!.articles).toEqual(['h1', 'h2', 'h3']);
    expect(index.story('h1')!.merged).toEqual(['h2']);
    expect(index.stories().map((s) => s.id)).toEqual(['h1']);
  });
});

describe('a story of many angles', () => {
  // Other news of the first day, the event and its six angles as they arrive, other news of the second day.
  const stream = [...sameDaysNews.slice(0, 3), marathonHalted, ...marathonAngles, ...sameDaysNews.slice(3)];
  const grouped = (options = {}): ReturnType<typeof createStoryIndex> => {
    const index = createStoryIndex(options);
    for (const article of stream) index.add(article);
    return index;
  };

  it('compares an article with every story that holds one of its words, even when its strongest words are new', () => {
    // The collapse report's rarest words (intensive care, Lakeside, heatstroke) are in no story
    // yet; the words it shares with the marathon story still bring that story to be compared.
    expect(grouped().storyOf('post-collapse')).toBe('post-heat');
  });

  it('joins a new angle by the report it is most like, where the story as a whole has drifted from it', () => {
    // The volunteers' report is like the council's and the shops' angles more than the story as a
    // whole, which the winner, the collapse and the losses have pulled elsewhere.
    expect(grouped().storyOf('times-volunteers')).toBe('post-heat');
    expect(grouped({ memberWeight: 0 }).storyOf('times-volunteers')).toBe('times-volunteers');
  });

  it('counts a reprinted report once: its copies change neither the words nor the latest articles a new angle is compared with', () => {
    // Three outlets reprint the collapse report after the council's angle; the volunteers' report
    // joins as it does without them, with every number of latest articles compared.
    const collapse = marathonAngles.find((a) => a.id === 'post-collapse')!;
    const copies = ['ledger', 'gazette', 'sun'].map((outlet) => ({ ...collapse, id: `${outlet}-collapse`, outlet }));
    const withCopies = [...sameDaysNews.slice(0, 3), marathonHalted, ...marathonAngles.slice(0, 4), ...copies, ...marathonAngles.slice(4), ...sameDaysNews.slice(3)];
    for (const recentMembers of [3, 8]) {
      const index = createStoryIndex({ recentMembers });
      for (const article of withCopies) index.add(article);
      expect(index.story('post-heat')!.reports.find((r) => r.articles.includes('ledger-collapse'))!.articles).toEqual(['post-collapse', 'ledger-collapse', 'gazette-collapse', 'sun-collapse']);
      expect(index.storyOf('times-volunteers'), `${recentMembers} latest compared`).toBe('post-heat');
    }
  });

  it('keeps the other news of those days apart', () => {
    const index = grouped();
    expect(index.story('post-heat')!.articles).toEqual(['post-heat', ...marathonAngles.map((a) => a.id)]);
    expect(index.stories()).toHaveLength(1 + sameDaysNews.length);
  });
});

describe('copies and wires', () => {
  it('estimates near-identical texts as similar and different texts as not', () => {
    expect(sketchSimilarity(sketchOf(stormWire1.text), sketchOf(stormWire3.text))).toBeGreaterThan(0.7);
    expect(sketchSimilarity(sketchOf(stormWire1.text), sketchOf(stormOwnReport.text))).toBeLessThan(0.1);
    expect(sketchSimilarity(sketchOf(bridgeGazette.text), sketchOf(bridgeGazette.text))).toBe(1);
  });

  it('reads the wire service from a dateline or credit at the top', () => {
    expect(wireOf('WASHINGTON (AP) — The Senate voted')).toBe('AP');
    expect(wireOf('LONDON (Reuters) - Shares fell')).toBe('Reuters');
    expect(wireOf('NEW YORK, Dec. 14 (UPI) — In hypothetical match-ups')).toBe('UPI');
    expect(wireOf('Washington (AFP) – Donald Trump is bent on')).toBe('AFP');
    expect(wireOf('The council met on Tuesday. ' + 'x '.repeat(200) + '(AP)')).toBeUndefined();
  });
});

describe('key names', () => {
  it('knows a surname in a headline as the person the lead names in full further on', () => {
    const features = featuresOf({
      id: 'headline-surname',
      title: 'Maybe Okafor was right after all',
      text: 'The harbour plan passed the council on Tuesday, two weeks after the mayor called it dead. Councillor Adaeze Okafor had fought for it for a year.',
    });
    expect(features.keyNames.has('okafor')).toBe(true);
  });

  it('does not make a key name of a name the headline and opening sentence never mention', () => {
    const features = featuresOf({
      id: 'later-name',
      title: 'Harbour plan passes council vote',
      text: 'The harbour plan passed the council by nine votes to four on Tuesday. Councillor Adaeze Okafor, who wrote it, thanked the dock workers.',
    });
    expect(features.names.has('okafor')).toBe(true);
    expect(features.keyNames.has('okafor')).toBe(false);
  });

  it("reads the lead under an editor's update note, not the note", () => {
    const features = featuresOf({
      id: 'update-note',
      title: 'Harbour plan passes council vote',
      text: [
        'UPDATE: 3/14 — The marina company has withdrawn its appeal. It was filed in Brookfield on Monday.',
        'PREVIOUSLY:',
        'Councillor Adaeze Okafor won the vote on the harbour plan by nine votes to four on Tuesday.',
      ].join('\n\n'),
    });
    expect(features.lead).toMatch(/^Councillor Adaeze Okafor won the vote/);
    expect(features.names.has('okafor')).toBe(true);
    expect(features.names.has('brookfield')).toBe(false);
  });
});
