import { BriefbotError } from '../errors.js';

/**
 * The chat platforms briefbot knows, named once. The configuration's digest subscriptions, the
 * store's subscriptions, the metrics labels and the command layer all take their platform type
 * from this tuple, and each name has its folder, src/platforms/<name>/, listed in
 * src/platforms/index.ts. This is the one file of src/platforms/ that the layers below may
 * import: it holds names, not platform code.
 */
export const PLATFORM_NAMES = ['discord', 'slack'] as const;

export type PlatformName = (typeof PLATFORM_NAMES)[number];

export function isPlatformName(name: string): name is PlatformName {
  return (PLATFORM_NAMES as readonly string[]).includes(name);
}

/** A platform name read from outside the type system (a stored row, a test): anything else is an error, never a default. */
export function assertPlatformName(name: string): PlatformName {
  if (!isPlatformName(name)) throw new BriefbotError('config', `unknown platform "${name}": briefbot knows ${PLATFORM_NAMES.join(', ')}`);
  return name;
}
