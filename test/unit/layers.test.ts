/**
 * The layering of src/ is enforced: eslint.config.js is loaded as `npm run lint` loads it, and
 * imports written for this test are linted as files of src/. A backwards import, a briefing
 * module that reaches for I/O, or discord.js outside its platform folder must each be an error;
 * the imports the code really makes must not be. Then the tree itself: every file of src/ belongs
 * to a layer, and every import of discord.js and the Slack libraries lies in its platform's folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layerOf, LAYERS } from '../../tools/lint/layers.js';
import { ROOT } from '../helpers/run-cli.js';

const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  if (!result) throw new Error(`eslint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`eslint could not parse ${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'briefbot/layers').map((m) => m.message);
}

describe('the layer rule, as npm run lint runs it', () => {
  it('rejects an import from a layer above: library → commands, briefing → library, store → ingest, render → platforms', async () => {
    const backwards: Array<[string, string]> = [
      ['src/library/example.ts', "import { quoteCommand } from '../commands/quote.js';"],
      ['src/briefing/example.ts', "import type { Library } from '../library/library.js';"],
      ['src/store/example.ts', "import type { IngestState } from '../ingest/ingest-state.js';"],
      ['src/render/example.ts', "import { renderDigest } from '../platforms/index.js';"],
      ['src/digest/example.ts', "export { quoteCommand } from '../commands/quote.js';"],
      ['src/commands/example.ts', "const m = await import('../platforms/slack/render.js');"],
      ['src/articles/example.ts', "import { createBriefing } from '../briefing/index.js';"],
    ];
    for (const [file, line] of backwards) {
      const errors = await layerErrors(file, line);
      expect(errors, `${file}: ${line}`).toHaveLength(1);
      expect(errors[0]).toMatch(/backwards import|imports only/);
    }
  });

  it('accepts imports down the layers, within a layer, and of the shared platform names', async () => {
    const forwards: Array<[string, string]> = [
      ['src/commands/example.ts', "import type { LibraryEntry } from '../library/library.js';"],
      ['src/platforms/discord/example.ts', "import { runCommand } from '../../commands/run.js';"],
      ['src/library/example.ts', "import { storeOpenError } from '../store/store.js';"],
      ['src/store/example.ts', "import type { PlatformName } from '../platforms/names.js';"],
      ['src/digest/example.ts', "import { errorReply } from '../reply/reply.js';"],
      ['src/ingest/example.ts', "import { ingestArticle } from './briefings-folder.js';"],
      ['src/cli/example.ts', "const { startBriefbot } = await import('../app.js');"],
    ];
    for (const [file, line] of forwards) expect(await layerErrors(file, line), `${file}: ${line}`).toEqual([]);
  });

  it('keeps the briefing module pure: the article type and its own files, nothing else of the product', async () => {
    expect(await layerErrors('src/briefing/example.ts', "import type { Article } from '../articles/article.js';")).toEqual([]);
    expect(await layerErrors('src/briefing/example.ts', "import { summarize } from './summarize.js';")).toEqual([]);
    const errors = await layerErrors('src/briefing/example.ts', "import { createLogger } from '../logging/logger.js';");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('imports only articles');
  });

  it('keeps discord.js and the Slack libraries in their platform folders', async () => {
    expect(await layerErrors('src/platforms/discord/example.ts', "import { Client } from 'discord.js';\nimport { REST } from '@discordjs/rest';")).toEqual([]);
    expect(await layerErrors('src/platforms/slack/example.ts', "import { App } from '@slack/bolt';\nimport { WebClient } from '@slack/web-api';")).toEqual([]);
    const misplaced: Array<[string, string]> = [
      ['src/commands/example.ts', "import { EmbedBuilder } from 'discord.js';"],
      ['src/digest/example.ts', "import { WebClient } from '@slack/web-api';"],
      ['src/platforms/slack/example.ts', "import { Client } from 'discord.js';"],
      ['src/app.ts', "const { App } = await import('@slack/bolt');"],
    ];
    for (const [file, line] of misplaced) {
      const errors = await layerErrors(file, line);
      expect(errors, `${file}: ${line}`).toHaveLength(1);
      expect(errors[0]).toContain('a platform is one folder');
    }
  });
});

/** Every .ts file under src/, relative to src/ with `/` separators. */
function sourceFiles(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(join(ROOT, 'src'), path).split(sep).join('/')] : [];
  });
}

describe('the tree', () => {
  const files = sourceFiles();

  it('puts every file of src/ in a layer, so none escapes the rule', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
    // Each layer of the table holds some file: a renamed folder is not left behind in the table.
    for (const layer of LAYERS) expect(files.some((file) => layerOf(file)?.name === layer.name), layer.name).toBe(true);
  });

  it('imports discord.js only in src/platforms/discord/ and @slack/bolt only in src/platforms/slack/', () => {
    const importers = (pattern: RegExp): string[] =>
      files.filter((file) => [...readFileSync(join(ROOT, 'src', file), 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].some((m) => pattern.test(m[1]!)));
    const discord = importers(/^(discord\.js|@discordjs\/)/);
    const slack = importers(/^@slack\//);
    // Listed, so that a platform's files are known to exist (a pattern matching nothing would pass).
    expect(discord.length).toBeGreaterThan(0);
    expect(slack.length).toBeGreaterThan(0);
    expect(discord.filter((file) => !file.startsWith('platforms/discord/'))).toEqual([]);
    expect(slack.filter((file) => !file.startsWith('platforms/slack/'))).toEqual([]);
  });
});
