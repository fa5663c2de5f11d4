import { createHash } from 'node:crypto';

const MAX_SLUG = 60;

/**
 * A stable, URL- and command-friendly id: lower-case ASCII words joined by hyphens, cut at a
 * word boundary. Text with no usable characters gets a short content hash instead.
 */
export function slugify(text: string, fallbackSeed = text): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/(\d),(\d)/g, '$1$2')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!ascii) return 'article-' + shortHash(fallbackSeed);
  if (ascii.length <= MAX_SLUG) return ascii;
  const cut = ascii.slice(0, MAX_SLUG + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 20 ? cut.slice(0, lastHyphen) : ascii.slice(0, MAX_SLUG)).replace(/-+$/, '');
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
