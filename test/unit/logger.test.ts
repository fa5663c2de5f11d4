import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';

/** A logger writing JSON lines into memory. */
function capture(level = 'trace'): { logger: ReturnType<typeof createLogger>; text: () => string; records: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level, destination, pretty: false });
  return {
    logger,
    text: () => chunks.join(''),
    records: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRETS = {
  DISCORD_TOKEN: 'MTIzNDU2.discord-bot-token-SECRET1',
  SLACK_BOT_TOKEN: 'xoxb-slack-bot-token-SECRET2',
  SLACK_SIGNING_SECRET: 'slack-signing-SECRET3',
  SLACK_APP_TOKEN: 'xapp-slack-app-token-SECRET4',
};

describe('createLogger', () => {
  it('writes one JSON object per line, with the level, message and structured fields', () => {
    const { logger, records } = capture('info');
    logger.child({ component: 'briefings-folder' }).info({ articleId: 'a-1', file: 'a.md' }, 'article added');
    logger.debug('not at this level');
    expect(records()).toEqual([expect.objectContaining({ level: 30, msg: 'article added', component: 'briefings-folder', articleId: 'a-1', file: 'a.md' })]);
  });

  it('never writes the secrets of a loaded configuration, logged whole or in parts', () => {
    const { logger, text } = capture();
    const config = loadConfig({ dir: '/nonexistent-briefbot-config', env: { ...SECRETS, DISCORD_APPLICATION_ID: 'app-123' } });
    logger.info({ config }, 'configuration');
    logger.info({ discord: config.discord, slack: config.slack }, 'platforms');
    logger.child({ slack: config.slack }).warn('child carrying the slack settings');
    logger.error({ token: config.discord.token, botToken: config.slack.botToken, appToken: config.slack.appToken, signingSecret: config.slack.signingSecret }, 'flat');
    const output = text();
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    // What is not secret stays readable.
    expect(output).toContain('app-123');
  });

  it.each<[string, (secret: string) => Record<string, unknown>]>([
    ['a token field', (s) => ({ token: s })],
    ['a token one level down', (s) => ({ options: { token: s } })],
    ['a token two levels down', (s) => ({ client: { options: { token: s } } })],
    ['a password', (s) => ({ password: s })],
    ['a secret', (s) => ({ user: { secret: s } })],
    ['an authorization header', (s) => ({ headers: { authorization: `Bot ${s}` } })],
    ['an incoming request’s authorization header', (s) => ({ req: { headers: { authorization: `Bearer ${s}` } } })],
    ['an Authorization header as HTTP clients spell it', (s) => ({ headers: { Authorization: `Bot ${s}` } })],
    ['a request’s Authorization header', (s) => ({ request: { headers: { Authorization: `Bot ${s}` } } })],
  ])('never writes %s', (_what, shape) => {
    const { logger, text } = capture();
    logger.warn(shape('SECRET-VALUE-42'), 'logged something sensitive');
    expect(text()).toContain('logged something sensitive');
    expect(text()).not.toContain('SECRET-VALUE-42');
  });

  it('is silent when asked to be', () => {
    const logger = silentLogger();
    expect(logger.level).toBe('silent');
    expect(logger.isLevelEnabled('fatal')).toBe(false);
  });
});
