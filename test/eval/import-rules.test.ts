/**
 * The lint rules that keep the dev tools and the product apart are active: eslint.config.js is
 * loaded as `npm run lint` loads it, and deliberately wrong imports are linted as if they were
 * files of tools/ and src/. Without this, a rule silently switched off by a later config block
 * (one block's `no-restricted-imports` replaces another's) would let the next deep import through.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`eslint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`eslint could not parse ${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('what the dev tools may import from src/', () => {
  it('reaches the engine only through src/briefing/index.js and src/briefing/internals.js', async () => {
    const allowed = [
      "import { createBriefing } from '../../src/briefing/index.js';",
      "import { sentenceCandidates } from '../../src/briefing/internals.js';",
      "import { articleFromRecord } from '../../src/articles/index.js';",
      "import { articleFromHtml } from '../../src/ingest/index.js';",
      "import { scoreRouge } from './rouge/index.js';",
    ];
    for (const line of allowed) {
      expect(await restrictedImports('tools/eval/example.ts', `${line}\nexport {};\n`), line).toEqual([]);
    }
  });

  it('rejects an engine file other than the two entries, and a module file behind its index', async () => {
    const rejected = [
      "import { buildDocument } from '../../src/briefing/document.js';",
      "import { sentenceCandidates } from '../../src/briefing/summarize.js';",
      "export { classifyAll } from '../../src/briefing/stance.js';",
      "import { articleFromHtml } from '../../src/ingest/extract-html.js';",
    ];
    for (const line of rejected) {
      const messages = await restrictedImports('tools/eval/example.ts', `${line}\nexport {};\n`);
      expect(messages, line).toHaveLength(1);
      expect(messages[0]).toContain('src/briefing/internals.js');
    }
  });
});

describe('what the product may import from tools/', () => {
  it('nothing: a src file importing tools/ fails the lint', async () => {
    const messages = await restrictedImports('src/briefing/example.ts', "import { halfOf } from '../../tools/eval/halves.js';\nexport { halfOf };\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/ must not import the dev tools');
  });
});
