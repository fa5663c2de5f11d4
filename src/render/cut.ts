/**
 * Cutting text to a platform limit the way a reader would want it: at the end of a sentence
 * when one ends late enough, otherwise at a word, always with an ellipsis.
 */

const ELLIPSIS = '…';

export function cutAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return ELLIPSIS.slice(0, max);
  const room = text.slice(0, max - 1);
  // The last sentence end that keeps at least half of what fits.
  let best = -1;
  const sentenceEnd = /[.!?]["'”’)]*(?=\s)/g;
  let m: RegExpExecArray | null;
  while ((m = sentenceEnd.exec(room)) !== null) best = m.index + m[0].length;
  if (best >= room.length / 2) return room.slice(0, best) + ' ' + ELLIPSIS;
  const space = room.lastIndexOf(' ');
  return (space >= room.length / 2 ? room.slice(0, space) : room).trimEnd() + ELLIPSIS;
}

/** Joins lines until the next would pass `max`; says how many were left out. */
export function fitLines(lines: string[], max: number, moreText: (left: number) => string): { text: string; dropped: number } {
  const kept: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const extra = (kept.length > 0 ? 1 : 0) + line.length;
    const tail = i < lines.length - 1 ? moreText(lines.length - i - 1).length + 1 : 0;
    if (length + extra + tail > max) {
      if (kept.length === 0) {
        // A single line longer than the whole room: cut it instead of dropping it.
        const cut = cutAtSentence(line, Math.max(1, max - moreText(lines.length - 1).length - 1));
        kept.push(cut);
        const left = lines.length - 1;
        return { text: left > 0 ? `${cut}\n${moreText(left)}` : cut, dropped: left };
      }
      const left = lines.length - i;
      return { text: `${kept.join('\n')}\n${moreText(left)}`, dropped: left };
    }
    kept.push(line);
    length += extra;
  }
  return { text: kept.join('\n'), dropped: 0 };
}
