import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSlackManifest } from '../platforms/slack/manifest.js';
import { commands } from '../commands/index.js';
import { loadConfig } from '../config/config.js';
import { describeError, isBriefbotError } from '../errors.js';

/**
 * `npm run manifest -- --url https://bot.example.com` (HTTP mode) or `-- --socket`: writes the
 * Slack app manifest for "Create New App → From an app manifest". Without either flag, Socket
 * Mode is chosen when SLACK_APP_TOKEN is set.
 */

const USAGE = `Usage: npm run manifest -- (--url https://your.host | --socket) [--out FILE] [--name NAME]

  --url URL    the public https address of briefbot; Slack posts to URL + SLACK_PATH (default /slack/events)
  --socket     Socket Mode: no public address needed (needs an app-level token, SLACK_APP_TOKEN)
  --out FILE   where to write it (default slack-manifest.json; - for standard output)
  --name NAME  the app's name in Slack (default briefbot)`;

function main(argv: string[]): number {
  let values: { url?: string; socket?: boolean; out?: string; name?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, socket: { type: 'boolean' }, out: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`manifest: ${describeError(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (existsSync(resolve('.env'))) process.loadEnvFile(resolve('.env'));
  const config = loadConfig();
  const socketMode = values.socket ?? (!values.url && Boolean(config.slack.appToken));
  if (!socketMode && !values.url) {
    console.error(`manifest: say where Slack should post: --url https://your.host, or --socket for Socket Mode\n${USAGE}`);
    return 2;
  }
  let requestUrl: string | undefined;
  if (!socketMode && values.url) {
    const base = new URL(values.url);
    if (base.protocol !== 'https:') {
      console.error('manifest: Slack only posts to https:// addresses');
      return 2;
    }
    // Behind a proxy under a path (https://host/briefbot) the path stays.
    requestUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}${config.slack.path}`;
  }
  const manifest = createSlackManifest(commands, { socketMode, ...(requestUrl ? { requestUrl } : {}), ...(values.name ? { name: values.name } : {}) });
  const json = JSON.stringify(manifest, null, 2) + '\n';
  const out = values.out ?? 'slack-manifest.json';
  if (out === '-') {
    process.stdout.write(json);
  } else {
    writeFileSync(out, json);
    console.log(`Wrote ${out} (${socketMode ? 'Socket Mode' : `HTTP mode, requests to ${requestUrl}`}; ${manifest.features.slash_commands.length} slash commands).`);
    console.log('Create the app at https://api.slack.com/apps → Create New App → From an app manifest, and paste it in.');
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`manifest: ${isBriefbotError(error) && error.code === 'config' ? error.message : describeError(error)}`);
  process.exitCode = 1;
}
