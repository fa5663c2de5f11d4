import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { registerDiscordCommands } from '../platforms/discord/register.js';
import { toDiscordDefinitions } from '../platforms/discord/definitions.js';
import { commands } from '../commands/index.js';
import { loadConfig } from '../config/config.js';
import { describeError, isBriefbotError } from '../errors.js';

/**
 * `npm run register [-- --guild ID] [--print]`: publishes briefbot's slash commands to Discord
 * (DISCORD_TOKEN, DISCORD_APPLICATION_ID; DISCORD_API_URL for a stand-in). `--print` shows the
 * definitions without sending them.
 */

const USAGE = `Usage: npm run register [-- --guild ID] [--print]

  --guild ID   register to one guild (shows up at once; for testing)
               default: DISCORD_GUILD_ID, else globally (can take up to an hour to appear)
  --print      print the definitions as JSON instead of sending them`;

async function main(argv: string[]): Promise<number> {
  let values: { guild?: string; print?: boolean; help?: boolean };
  try {
    values = parseArgs({ args: argv, options: { guild: { type: 'string' }, print: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (error) {
    console.error(`register: ${describeError(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.print) {
    console.log(JSON.stringify(toDiscordDefinitions(commands), null, 2));
    return 0;
  }
  if (existsSync(resolve('.env'))) process.loadEnvFile(resolve('.env'));
  const config = loadConfig();
  const result = await registerDiscordCommands({ config, commands, ...(values.guild ? { guildId: values.guild } : {}) });
  const where = result.scope === 'global' ? 'globally (may take up to an hour to appear everywhere)' : `to guild ${result.scope.guildId}`;
  console.log(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`register: ${isBriefbotError(error) && error.code === 'config' ? error.message : describeError(error)}`);
  process.exitCode = isBriefbotError(error) && error.code === 'usage' ? 2 : 1;
}
