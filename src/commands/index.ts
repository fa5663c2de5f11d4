import { articlesCommand } from './articles.js';
import { briefActions, briefCommand } from './brief.js';
import { digestCommand } from './digest.js';
import { createHelpCommand } from './help.js';
import { quoteCommand } from './quote.js';
import { sourcesCommand } from './sources.js';
import { storyActions, storyCommand } from './story.js';
import type { ActionHandler, Command } from './types.js';

/** Every command, listed once. Discord definitions, the Slack manifest and /help derive from this. */
export const commands: readonly Command[] = [
  briefCommand,
  quoteCommand,
  storyCommand,
  articlesCommand,
  digestCommand,
  sourcesCommand,
  createHelpCommand(() => commands),
];

export const actionHandlers: readonly ActionHandler[] = [briefActions, storyActions];

export * from './types.js';
export * from '../reply/reply.js';
export { runCommand, runAction, runTextCommand } from './run.js';
