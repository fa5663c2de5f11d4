/**
 * `npm run lexicon`: writes src/briefing/lexicon-data.json, the word list of the compromise NLP
 * library (every word with its tags) as the installed version has it.
 *
 * The engine reads only compromise's lexicon, never its tagger, and unpacking that lexicon on
 * import costs about 220 ms and 30 MB in every process that briefs (the bot, each worker of
 * `brief --jsonl --jobs N`, each `briefbot brief`). The snapshot loads in about 15 ms. compromise
 * stays a dev dependency: test/unit/briefing/lexicon-data.test.ts fails when the snapshot and the
 * installed compromise differ, so after upgrading compromise run this, look at the eval, and bump
 * ENGINE_VERSION if any briefing changed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexiconSnapshot } from './lexicon-snapshot.js';

const out = fileURLToPath(new URL('../src/briefing/lexicon-data.json', import.meta.url));
const snapshot = await lexiconSnapshot();
writeFileSync(out, snapshot);
process.stdout.write(`wrote ${out} (${(snapshot.length / 1024).toFixed(0)} KB)\n`);
