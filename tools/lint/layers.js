// @ts-check
/**
 * briefbot's layers, and an ESLint rule that keeps imports flowing one way through them.
 *
 * Every file of src/ belongs to one layer (the most specific entry of LAYERS that holds it), and
 * may import only from its own layer and the layers listed before it. Data flows
 * source → articles → briefing → library → commands → render → platforms; the code that moves it
 * (ingest, digest) sits between the layers it connects. A backwards import, say library/ importing
 * commands/, is a lint error, so `npm test` fails on it.
 *
 * Two more rules ride on the same table:
 * - `pure`: the briefing module imports nothing of the product but the article type and its own
 *   language libraries (no I/O, no logging, no store), so it can run anywhere (worker threads, tools).
 * - `only`: a chat platform's client library (discord.js, @slack/*) is imported only inside that
 *   platform's folder, so a platform stays one module.
 *
 * The rule resolves relative imports itself (a path under src/, `.js` meaning the `.ts` beside
 * it), so it needs no import resolver; a bare package name is checked against `only`.
 * Why a local rule rather than eslint-plugin-boundaries or import/no-restricted-paths: both need
 * an import resolver configured for TypeScript's `.js` specifiers, and they skip silently an
 * import they cannot resolve. Resolving a relative path is a few lines here and cannot skip.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * The layers, lowest first. `paths` are relative to src/ (a folder ends in `/`). A file's layer is
 * its most specific match: src/platforms/names.ts is shared, the rest of src/platforms/ is not.
 * @type {ReadonlyArray<{ name: string; paths: string[]; why: string }>}
 */
export const LAYERS = [
  { name: 'shared', paths: ['errors.ts', 'version.ts', 'util/', 'logging/'], why: 'errors, the version, small utilities and logging, for every layer' },
  { name: 'names', paths: ['platforms/names.ts', 'net/'], why: 'the platform names (declared once) and the safe fetcher' },
  { name: 'config', paths: ['config/'], why: 'the configuration as read and checked' },
  { name: 'articles', paths: ['articles/'], why: 'the source: an article as read from a file, a record or a page' },
  { name: 'briefing', paths: ['briefing/'], why: 'the engine: an article in, a briefing out' },
  { name: 'store', paths: ['store/'], why: 'the SQLite database: opening, migrations, lock, backup, subscriptions and deliveries' },
  { name: 'library', paths: ['library/'], why: 'briefings kept and searched' },
  { name: 'stories', paths: ['stories/'], why: 'articles about one event grouped, and compared across outlets' },
  { name: 'ingest', paths: ['ingest/'], why: 'folders, feeds and links into the library' },
  { name: 'reply', paths: ['reply/'], why: 'the reply model commands and digests build and renderers draw' },
  { name: 'digest', paths: ['digest/'], why: 'scheduled digests: composing, scheduling, delivering' },
  { name: 'commands', paths: ['commands/'], why: 'the chat commands, platform-neutral' },
  { name: 'render', paths: ['render/'], why: 'replies as terminal text' },
  { name: 'http', paths: ['http/'], why: 'health and metrics' },
  { name: 'platforms', paths: ['platforms/'], why: 'Discord, Slack and the console, one folder each' },
  { name: 'app', paths: ['app.ts'], why: 'the bot put together' },
  { name: 'cli', paths: ['cli/'], why: 'the command line' },
];

/** Layers that may import nothing of the product except the layers named here (besides themselves). */
export const PURE = { briefing: ['articles'] };

/** Packages only one folder of src/ may import. */
export const ONLY = [
  { pattern: /^(discord\.js|@discordjs\/)/, folder: 'platforms/discord/', what: 'discord.js' },
  { pattern: /^@slack\//, folder: 'platforms/slack/', what: 'Slack libraries' },
];

/** The layer of a path relative to src/ (with `/` separators), or undefined outside every layer. */
export function layerOf(path) {
  let best;
  for (const [rank, layer] of LAYERS.entries()) {
    for (const p of layer.paths) {
      const hit = p.endsWith('/') ? path.startsWith(p) : path === p || path === p.replace(/\.ts$/, '.js');
      if (hit && (!best || p.length > best.length)) best = { rank, name: layer.name, length: p.length };
    }
  }
  return best && { rank: best.rank, name: best.name };
}

/**
 * The imported file's path relative to src/, or undefined when it lies outside src/.
 * @param {string} from the importing file @param {string} specifier @param {string} srcDir
 */
function targetOf(from, specifier, srcDir) {
  const absolute = resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
  const inSrc = relative(srcDir, absolute);
  if (inSrc.startsWith('..') || inSrc === '') return undefined;
  return inSrc.split(sep).join('/');
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports in src/ flow one way through the layers of tools/lint/layers.js' },
    schema: [],
  },
  create(context) {
    const srcDir = resolve(context.cwd, 'src');
    const file = relative(srcDir, context.filename).split(sep).join('/');
    if (file.startsWith('..')) return {};
    const own = layerOf(file);
    /** @param {any} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        for (const rule of ONLY) {
          if (rule.pattern.test(source) && !file.startsWith(rule.folder)) {
            context.report({ node, message: `${rule.what} ("${source}") is imported only in src/${rule.folder}: a platform is one folder.` });
          }
        }
        return;
      }
      const target = targetOf(context.filename, source, srcDir);
      if (target === undefined || !own) return;
      const theirs = layerOf(target);
      if (!theirs || theirs.name === own.name) return;
      const pure = /** @type {Record<string, string[]>} */ (PURE)[own.name];
      if (pure && !pure.includes(theirs.name)) {
        context.report({ node, message: `src/${file} is in the ${own.name} layer, which imports only ${pure.join(', ')}; "${source}" is ${theirs.name}.` });
      } else if (theirs.rank > own.rank) {
        context.report({ node, message: `backwards import: src/${file} (${own.name}) imports "${source}" (${theirs.name}, a layer above it). Layers, lowest first: ${LAYERS.map((l) => l.name).join(' → ')}.` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: layersRule } };
