import type { StoryArticle } from '../../../src/stories/index.js';

// Articles written for the story tests: one event (a city marathon halted in the heat) reported
// from six angles over two days, and other local news of the same days.

const at = (id: string, published: string | null, title: string, text: string): StoryArticle => ({ id, outlet: id.split('-')[0]!, published, title, text });

export const marathonHalted = at(
  'post-heat',
  '2026-06-14T10:00:00Z',
  'Heat forces organisers to halt Riverton marathon',
  `Organisers halted the Riverton marathon on Sunday morning as the temperature passed 33 degrees, stopping about 9,000 runners on the course. Race director Paul Meyer said the decision was taken on medical advice after the first hour.

The city had issued a heat warning on Friday.`,
);

/** The angles after the first report, in order of arrival; each repeats the event in its opening sentence, as reports do. */
export const marathonAngles: StoryArticle[] = [
  at(
    'times-winner',
    '2026-06-14T13:00:00Z',
    'Odhiambo wins shortened Riverton marathon',
    `Organisers halted the Riverton marathon on Sunday as the temperature passed 33 degrees. Amina Odhiambo of Kenya had already crossed the line, running the shortened course in a record time. She said her training in Iten had prepared her for the heat.

Second place went to Marta Ruiz of Spain.`,
  ),
  at(
    'courier-shops',
    '2026-06-15T08:00:00Z',
    'Riverton cafes and shops count losses after marathon stopped',
    `Organisers halted the Riverton marathon on Sunday as the temperature passed 33 degrees. Cafe owners along the route said they lost trade when crowds went home early. The chamber of commerce estimated losses at $400,000.

Councillor Dana Fox said the city would review its summer events calendar.`,
  ),
  at(
    'post-collapse',
    '2026-06-14T16:00:00Z',
    'Runner, 41, in intensive care after collapsing at Riverton marathon',
    `Organisers halted the Riverton marathon on Sunday as the temperature passed 33 degrees. A 41-year-old runner from Lakeside was in intensive care at St Mary's hospital on Sunday night after collapsing in the heat near the 30-kilometre mark, paramedic supervisor Jo Lin said. Eleven other runners were treated for heatstroke in medical tents.

The man's family asked for privacy.`,
  ),
  at(
    'daily-council',
    '2026-06-15T12:00:00Z',
    'Riverton council to review summer race dates after marathon halted',
    `Organisers halted the Riverton marathon on Sunday as the temperature passed 33 degrees. The city council said on Monday it would review the dates of its summer races, and councillor Dana Fox proposed moving the marathon to April.`,
  ),
  at(
    'times-volunteers',
    '2026-06-15T15:00:00Z',
    'Volunteers praised for handing out water as Riverton marathon was halted',
    `Organisers halted the Riverton marathon on Sunday as the temperature passed 33 degrees. Hundreds of volunteers handed out water and ice along the route, and the Red Cross said its 300 helpers ran out of cups by mid-morning.`,
  ),
];

/** Other news of the same days. */
export const sameDaysNews: StoryArticle[] = [
  at('wire-rates', '2026-06-14T07:00:00Z', 'Central bank holds interest rates at 3.5 percent', `The central bank kept its main interest rate at 3.5 percent on Sunday, saying inflation had slowed to 2.4 percent in May. Governor Ines Brandt said the bank would watch wages closely over the summer.`),
  at('daily-ferry', '2026-06-14T09:00:00Z', 'New ferry link to Kell Island opens on Sunday', `A new ferry service between Port Alder and Kell Island began on Sunday, cutting the crossing to 40 minutes. The operator, Blue Channel Lines, said 1,200 passengers had booked the first week.`),
  at('courier-school', '2026-06-15T07:30:00Z', 'Teachers in Brandon County vote to accept pay offer', `Teachers in Brandon County voted on Monday to accept a 6 percent pay rise over two years, ending a dispute that had closed schools for three days in May. Union leader Sam Ortiz said members were relieved.`),
  at('times-museum', '2026-06-15T11:00:00Z', 'Dinosaur skeleton goes on show at Northgate museum', `A 12-metre dinosaur skeleton found in a quarry near Northgate went on display at the city museum on Monday. Curator Helen Park said it had taken four years to clean and mount the bones.`),
  at('post-fire', '2026-06-15T18:00:00Z', 'Warehouse fire in Eastfield contained after ten hours', `Firefighters contained a blaze at a paper warehouse in Eastfield on Monday after ten hours, fire chief Omar Said said. No one was hurt, but smoke forced the closure of two nearby schools.`),
  at('gazette-election', '2026-06-16T08:00:00Z', 'Mayor Green to seek a third term in Dunmore', `Dunmore mayor Ruth Green said on Tuesday she would run for a third term in November, promising to finish the harbour redevelopment. Two councillors have already said they will stand against her.`),
];
