import type { StoryArticle } from '../../../src/stories/index.js';

// Articles written for the story tests: two outlets on one event, the same people at another
// event that day, a wire story carried by three outlets, and unrelated news.

export const bridgeGazette: StoryArticle = {
  id: 'gazette-bridge',
  outlet: 'Westport Gazette',
  published: '2026-03-02T09:00:00Z',
  title: 'Harbor Street bridge collapses in Westport, two workers hurt',
  text: `Part of the Harbor Street bridge in Westport collapsed into the Millbrook River early on Monday, injuring two construction workers and closing the main road into the town centre.

Fire chief Daniel Reyes said the workers were resurfacing the eastern span when a section of deck gave way shortly after 6 a.m. Both were taken to Westport General Hospital with broken bones.

Mayor Linda Okafor said engineers from the state transportation department would inspect the remaining spans before any traffic is allowed back. The bridge, built in 1958, carries about 14,000 vehicles a day.

Residents said cracks in the concrete had been reported to the council last year.`,
};

export const bridgeHerald: StoryArticle = {
  id: 'herald-bridge',
  outlet: 'Millbrook Herald',
  published: '2026-03-02T13:30:00Z',
  title: 'Engineers inspect Westport bridge after deck collapse',
  text: `State engineers on Monday began inspecting what is left of the Harbor Street bridge in Westport, hours after a section of its deck fell into the Millbrook River and injured two workers.

The collapse closed the busiest route into Westport. Mayor Linda Okafor urged drivers to use the Canal Road crossing and said the 1958 bridge would stay shut until the state transportation department declared the remaining spans safe.

Fire chief Daniel Reyes said the two workers, who suffered broken bones, were in stable condition at Westport General Hospital. Council minutes show residents complained about cracks in the bridge last year.`,
};

export const libraryOpening: StoryArticle = {
  id: 'gazette-library',
  outlet: 'Westport Gazette',
  published: '2026-03-02T15:00:00Z',
  title: 'Mayor Okafor opens new Westport library on Elm Avenue',
  text: `Mayor Linda Okafor on Monday opened the new Westport public library on Elm Avenue, a three-storey building with a children's reading room, a recording studio and 80,000 books.

The library replaces the old branch on Church Street, which closed in 2024 after a leak damaged its archive. Librarian Grace Tan said more than 600 people signed up for cards on the first morning.

The $11 million building was paid for by a county bond approved by voters in 2023, Okafor said, thanking the Friends of the Library for raising money for the studio.`,
};

const wireBody = `PORTLAND, Maine (AP) — A late-winter storm knocked out power to more than 200,000 homes and businesses across Maine on Tuesday, toppling trees and power lines under heavy wet snow.

Central Maine Power said crews from three states were on their way and warned that some customers in rural Oxford and Franklin counties could be without electricity until the weekend.

Governor Janet Mills urged residents to stay off the roads as up to 20 inches of snow fell in the western mountains. Schools in Portland, Lewiston and Bangor closed for the day.

The National Weather Service said the snow would taper off by Wednesday morning, followed by strong winds.`;

export const stormWire1: StoryArticle = { id: 'wire-storm-1', outlet: 'Portland Daily', published: '2026-03-03T10:00:00Z', title: 'Storm knocks out power to 200,000 in Maine', text: wireBody };
export const stormWire2: StoryArticle = {
  id: 'wire-storm-2',
  outlet: 'Boston Ledger',
  published: '2026-03-03T10:20:00Z',
  title: 'Heavy snow leaves 200,000 Maine customers in the dark',
  // The same wire text, trimmed of its last paragraph.
  text: wireBody.split('\n\n').slice(0, 3).join('\n\n'),
};
export const stormWire3: StoryArticle = {
  id: 'wire-storm-3',
  outlet: 'Lakes Region News',
  published: '2026-03-03T11:00:00Z',
  title: 'Maine storm: 200,000 without power',
  // The same wire text with a local line added at the end.
  text: `${wireBody}\n\nIn our area, the town of Bridgton opened a warming shelter at the community center.`,
};
export const stormOwnReport: StoryArticle = {
  id: 'herald-storm',
  outlet: 'Millbrook Herald',
  published: '2026-03-03T14:00:00Z',
  title: 'Power crews race to reach rural Maine after snowstorm',
  text: `Line crews from New Hampshire, Vermont and Massachusetts arrived in western Maine on Tuesday afternoon as Central Maine Power worked to restore electricity to more than 200,000 customers after a heavy snowstorm.

Governor Janet Mills asked drivers to stay home while the snow, up to 20 inches deep in the mountains, was cleared. Outages were worst in Oxford and Franklin counties, the utility said, where fallen trees blocked roads.

Schools in Portland, Lewiston and Bangor were closed.`,
};

export const unrelated: StoryArticle[] = [
  {
    id: 'tech-chip',
    outlet: 'Tech Weekly',
    published: '2026-03-02T08:00:00Z',
    title: 'Chipmaker Solvane reports record quarterly profit',
    text: `Solvane, the Dutch maker of memory chips, reported a record quarterly profit on Monday as demand from data centres rose by a third.

Chief executive Pieter de Vries said the company would build a second factory in Eindhoven next year.`,
  },
  {
    id: 'sport-final',
    outlet: 'Sports Desk',
    published: '2026-03-02T21:00:00Z',
    title: 'Rovers win the county cup final on penalties',
    text: `Ashford Rovers won the county cup final on Monday night, beating Kingsley Town 5-4 on penalties after a goalless draw at Meadow Park.

Goalkeeper Sam Patel saved two spot kicks, and captain Leo Grant scored the winning penalty.`,
  },
];
