import { describe, expect, it } from 'vitest';
import {
  isAuthorNote,
  isBylineLine,
  isCredit,
  isDateLine,
  isFragment,
  isGalleryCounter,
  isLinkLine,
  isNotice,
  isReportingCredit,
  isSentenceLike,
  junkOf,
} from '../../src/ingest/html/block-rules.js';
import type { PageBlock } from '../../src/ingest/html/dom.js';

/** A paragraph block; `linked` is how much of its text sat inside links. */
function block(text: string, linked = 0, listItem = false): PageBlock {
  return { kind: 'paragraph', text, linkChars: Math.round(linked * text.length), listItem };
}

describe('block rules: what a line of a page says it is (unit, lines written for the test)', () => {
  it('credits and captions with their credit', () => {
    for (const credit of [
      '© Jane Porter Walkers cross the new footbridge over the canal.',
      'Photo: Sam Ocampo, AP',
      'Image copyright Harbour Press',
      'Image caption',
      'Credit...Rui Duarte/The Daily Lantern',
      'Crews clear the landslide on Route 9. (AP Photo/Lena Kraus)',
      'The ferry leaves the harbour at dawn (Image: GETTY )',
      'Volunteers fill sandbags near the river. (Tom Reyes/Reuters)',
      'A rescue boat near the pier.Credit: EPA',
      'The old mill before the fire. Photograph: Ana Lopes/AFP via Getty',
      "The road to the summit isn't easy.Mia Korhonen/Getty",
      'Getty Images',
      'Otto Berg | Getty Images',
      'A prototype of the new folding bike via Bikeworks',
    ]) {
      expect(isCredit(credit), credit).toBe(true);
    }
    for (const prose of [
      'Photos taken by residents show the flood reaching the second floor of the school.',
      'The council approved the plan (the third in two years) on Tuesday.',
      'Copies of the report were sent to every household, the mayor said.',
    ]) {
      expect(isCredit(prose), prose).toBe(false);
    }
  });

  it('gallery counters, but not a sentence that counts people', () => {
    for (const counter of ['1of4Volunteers load a truck with blankets in Lakeview.', 'Image 3 of 12', 'Image 1 of / 23', '1 / 12', 'Photo 2']) {
      expect(isGalleryCounter(counter), counter).toBe(true);
    }
    expect(isGalleryCounter('1 of 3 adults in the county say they rent their home, a survey found.')).toBe(false);
    expect(isGalleryCounter('12 / 2024 budget lines were cut.')).toBe(false);
  });

  it('date lines and timestamps alone in a block, but not a sentence that names a date', () => {
    for (const line of [
      'Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.',
      'Posted: Fri 6:45 PM, Feb 16, 2018 |',
      'Updated at 1:23 p.m.',
      'First Published: Tuesday, March 3, 2020 08:38 AM',
      '19.11.2019, 08:57',
      'Updated on: March 4, 2021 / 10:07 AM / Harbour News',
      'sexta-feira, 22 de outubro de 2010 às 20:13',
      'Today 12:01 AM',
    ]) {
      expect(isDateLine(line), line).toBe(true);
    }
    for (const text of ['The vote is set for Nov. 20, 2019.', 'Election 2020', '85%', '02-751-1500', 'Meeting moved to Tuesday after the storm']) {
      expect(isDateLine(text), text).toBe(false);
    }
  });

  it('bylines, author notes and reporting credits, but not a sentence opening with "By"', () => {
    expect(isBylineLine('By Justine Cole - 11/18/19 11:04 PM EST')).toBe(true);
    expect(isBylineLine('By HNN Staff | November 18, 2019 at 2:26 PM HST - Updated November 18 at 4:46 PM')).toBe(true);
    expect(isBylineLine('Posted on March 30, 2015 by Admin')).toBe(true);
    expect(isBylineLine('Tom Krisher, AP Auto Writer', 'Tom Krisher')).toBe(true);
    expect(isBylineLine('By Monday, the city had cleared the roads.')).toBe(false);
    expect(isBylineLine('By the end of the year, the line will run every ten minutes.')).toBe(false);
    expect(isAuthorNote('Dana Ruiz is a freelance writer living in Duluth.', 'Dana Ruiz')).toBe(true);
    expect(isAuthorNote('Dana Ruiz said the plan was late.', 'Dana Ruiz')).toBe(false);
    expect(isReportingCredit('(Reporting by Ana Lopes; editing by Tom Reyes)')).toBe(true);
    expect(isReportingCredit('Additional reporting by Mia Korhonen')).toBe(true);
    expect(isReportingCredit('Harbour News’ Otto Berg contributed to this report.')).toBe(true);
    expect(isReportingCredit('Ana Lopes reported from the port, where the strike began.')).toBe(false);
  });

  it('notices: calls to action aimed at the reader, affiliate disclosures', () => {
    for (const notice of [
      'Sign up for our newsletter to get the best of the week in your inbox.',
      'Follow us on Twitter @harbournews and on Facebook.',
      'Get the latest updates right in your inbox. Subscribe to Harbour News newsletters.',
      'This post may contain affiliate links. Please see our disclosure page.',
      'We may earn a commission if you buy through links in this article.',
      'Click here to read the full report.',
      'Have a tip? Dana Ruiz may be reached at dana@example.org.',
      'Mara Quinn wrote a book about lighthouses, out now. Follow her on Twitter @maraquinn. Follow us on Facebook.',
    ]) {
      expect(isNotice(notice), notice).toBe(true);
    }
    for (const prose of [
      'He urged supporters to follow him on Twitter after the rally.',
      '"Go home," an officer told the crowd outside the site.',
      'Residents who want to sign up for the buyout program have until May, officials said.',
      'We recently visited the plant. It was loud. Engineers showed us the new line. Read our full review here.',
    ]) {
      expect(isNotice(prose), prose).toBe(false);
    }
  });

  it('link lines: "Read more:" and headlines that are links, web addresses alone', () => {
    expect(isLinkLine(block('Read more: Ferry fares to rise in spring', 0.8))).toBe(true);
    expect(isLinkLine(block('SEE MORE: Bridge closure: what drivers need to know', 0.7))).toBe(true);
    expect(isLinkLine(block('Council votes to rebuild the pier', 1))).toBe(true);
    expect(isLinkLine(block('Council votes to rebuild the pier', 0.9, true))).toBe(true);
    expect(isLinkLine(block('Listen: https://pod.example/ep4 Download: https://pod.example/ep4.mp3'))).toBe(true);
    // A sentence with a link in it is prose; so is a post quoted with its address.
    expect(isLinkLine(block('The council published the full budget on its website on Monday.', 0.3))).toBe(false);
    expect(isLinkLine(block('I love that they painted it blue. No one will forget this pier now. https://t.co/abc123'))).toBe(false);
  });

  it('sentences, fragments and the dash that attributes a quoted post', () => {
    expect(isSentenceLike('It rained.')).toBe(true);
    expect(isSentenceLike('"It rained," she said.”')).toBe(true);
    expect(isSentenceLike('これはペンです。')).toBe(true);
    expect(isSentenceLike('More stories')).toBe(false);
    expect(isFragment(block('Most read'))).toBe(true);
    expect(isFragment(block('— Lena Kraus (@lenak) May 1, 2019'))).toBe(false);
    expect(junkOf(block('---'))).toBe('label');
    expect(junkOf(block('The ferry will run hourly from May, the operator said.'))).toBeUndefined();
  });
});
