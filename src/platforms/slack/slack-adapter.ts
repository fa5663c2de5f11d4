import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type BlockAction, type SlashCommand, type webApi } from '@slack/bolt';
import { errorReply, runAction, type Command, type Reply } from '../../commands/index.js';
import { parseTextArguments } from '../../commands/options.js';
import { actionLabel, outcomeOf, runCommandText, type Invocation, type Outcome } from '../../commands/run.js';
import { BriefbotError, describeError } from '../../errors.js';
import type { PlatformHealth } from '../../http/server.js';
import { renderSlack } from './render.js';
import { toBoltLogger } from './bolt-logger.js';
import { createManagerCheck } from './managers.js';
import { createMemoryReplayGuard, guardSlackRequests, SLACK_BODY_LIMIT_BYTES, type ReplayGuard } from './request-guard.js';
import { createResponsePoster, type ResponsePosterOptions } from './respond.js';
import { drain } from '../../util/drain.js';
import type { AdapterOptions } from '../platform.js';

/**
 * Slack through Bolt: slash commands and buttons routed into the platform-neutral command
 * layer, `ack()` first, then the work, then the reply posted to the `response_url` as Block Kit
 * from `renderSlack`. HTTP mode hands Bolt's request listener to the process's one HTTP server;
 * Socket Mode holds a WebSocket to Slack instead.
 */

export type SlackMode = 'http' | 'socket';

export interface SlackAdapterOptions extends AdapterOptions {
  mode: SlackMode;
  /** Web API retries (auth.test, users.info); Slack's default retries for half an hour. */
  webApiRetry?: webApi.RetryOptions;
  /** Retries of apps.connections.open in Socket Mode (default: Slack's, for long reconnects). */
  socketRetry?: webApi.RetryOptions;
  /** Retries of the reply to a response_url. */
  responseRetry?: Omit<ResponsePosterOptions, 'logger'>;
  /** How long a users.info answer about admins is trusted. */
  adminCacheMs?: number;
  /** HTTP mode: where accepted request signatures are remembered (default: this process's memory). */
  replayGuard?: ReplayGuard;
}

export interface SlackAdapter {
  readonly app: App;
  readonly mode: SlackMode;
  /** The request path Slack posts to (HTTP mode). */
  readonly path: string;
  /** HTTP mode: Bolt's listener for `path`, to mount on the shared HTTP server. */
  readonly requestListener?: RequestListener;
  /** The same listener as a route for briefbot's HTTP listener: `{ [path]: requestListener }` in HTTP mode, none in Socket Mode. */
  readonly routes: Readonly<Record<string, RequestListener>>;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): PlatformHealth;
}

const DEFAULT_WEB_API_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 4000 };

/** Whether this command line asks for something only a channel manager may do. */
export function needsManager(command: Command, text: string): boolean {
  if (!command.subcommands?.some((s) => s.requiresManager)) return false;
  const parsed = parseTextArguments(command, text);
  if (!parsed.ok) return false;
  return Boolean(command.subcommands.find((s) => s.name === parsed.parsed.subcommand)?.requiresManager);
}

export function toSlackResponse(reply: Reply, options: { replaceOriginal?: boolean } = {}): Record<string, unknown> {
  return {
    response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
    ...(options.replaceOriginal === false ? { replace_original: false } : {}),
    ...renderSlack(reply),
  };
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, commands, actions, services, metrics, mode } = options;
  const log = options.logger.child({ component: 'slack', mode });
  const boltLogger = toBoltLogger(log.child({ component: 'bolt' }));
  const token = config.slack.botToken;
  if (!token) throw new BriefbotError('config', 'Slack needs SLACK_BOT_TOKEN');
  const clientOptions: webApi.WebClientOptions = { slackApiUrl: config.slack.apiUrl, retryConfig: options.webApiRetry ?? DEFAULT_WEB_API_RETRY };

  let receiver: HTTPReceiver | SocketModeReceiver;
  let requestListener: RequestListener | undefined;
  if (mode === 'http') {
    const signingSecret = config.slack.signingSecret;
    if (!signingSecret) throw new BriefbotError('config', 'Slack HTTP mode needs SLACK_SIGNING_SECRET');
    receiver = new HTTPReceiver({ signingSecret, endpoints: [config.slack.path], logger: boltLogger, bodyLimit: SLACK_BODY_LIMIT_BYTES });
    requestListener = guardSlackRequests(receiver.requestListener, {
      signingSecret,
      replay: options.replayGuard ?? createMemoryReplayGuard(),
      logger: log.child({ component: 'slack-requests' }),
    });
  } else {
    const appToken = config.slack.appToken;
    if (!appToken) throw new BriefbotError('config', 'Slack Socket Mode needs SLACK_APP_TOKEN');
    // Its own copy: the Socket Mode client writes its retry policy into the object it is given.
    const socketClientOptions: webApi.WebClientOptions = { slackApiUrl: config.slack.apiUrl, ...(options.socketRetry ? { retryConfig: options.socketRetry } : {}) };
    receiver = new SocketModeReceiver({ appToken, logger: boltLogger, installerOptions: { clientOptions: socketClientOptions } });
  }
  // No conversation store: briefbot keeps no per-conversation state, and Bolt's default one
  // costs a lookup (and a timer) on every request.
  const app = new App({ token, receiver, logger: boltLogger, clientOptions, convoStore: false, ...(mode === 'socket' ? { socketMode: true } : {}) });
  const responses = createResponsePoster({ logger: log, ...options.responseRetry });
  const isManager = createManagerCheck({
    client: app.client,
    admins: config.slack.admins,
    logger: log,
    ...(options.adminCacheMs !== undefined ? { ttlMs: options.adminCacheMs } : {}),
  });
  const inflight = new Set<Promise<unknown>>();
  let state: PlatformHealth['status'] = 'stopped';
  let lastError: string | undefined;
  let team: string | undefined;
  let stopping: Promise<void> | undefined;

  const setState = (next: PlatformHealth['status']): void => {
    state = next;
    metrics.setPlatformUp('slack', next === 'up');
  };
  const track = <T>(work: Promise<T>): Promise<T> => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work)).catch(() => undefined);
    return work;
  };

  async function handleSlashCommand(payload: SlashCommand): Promise<void> {
    const started = performance.now();
    const name = payload.command.replace(/^\//, '').toLowerCase();
    const command = commands.find((c) => c.name === name);
    const canManageChannel = command && needsManager(command, payload.text ?? '') ? await isManager(payload.user_id) : false;
    const invocation: Invocation = {
      platform: 'slack',
      user: { id: payload.user_id, name: payload.user_name, canManageChannel },
      channel: { id: payload.channel_id, name: payload.channel_name, workspace: payload.team_id },
    };
    let reply: Reply;
    let outcome: Outcome;
    try {
      ({ reply, outcome } = await runCommandText(commands, name, payload.text ?? '', invocation, services));
    } catch (error) {
      log.error({ err: error, command: name }, 'command failed');
      reply = errorReply(`Something went wrong running /${name}.`);
      outcome = 'error';
    }
    try {
      await responses.post(payload.response_url, toSlackResponse(reply));
      metrics.recordCommand({ platform: 'slack', command: command ? name : 'unknown', outcome, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      metrics.recordDeliveryFailure('slack', 'command');
      log.error({ err: error, command: name }, 'could not deliver the reply');
    }
  }

  async function handleButton(body: BlockAction, id: string): Promise<void> {
    const started = performance.now();
    const invocation: Invocation = {
      platform: 'slack',
      user: { id: body.user.id, name: body.user.username ?? body.user.name ?? body.user.id, canManageChannel: false },
      channel: { id: body.channel?.id ?? 'unknown', ...(body.team?.id ? { workspace: body.team.id } : {}) },
    };
    let reply: Reply;
    try {
      reply = await runAction(actions, id, invocation, services);
    } catch (error) {
      log.error({ err: error, actionId: id }, 'action failed');
      reply = errorReply('Something went wrong with that button.');
    }
    try {
      // Answers only the person who pressed, under the message, leaving it in place.
      await responses.post(body.response_url, toSlackResponse({ ...reply, ephemeral: true }, { replaceOriginal: false }));
      metrics.recordCommand({
        platform: 'slack',
        command: actionLabel(actions, id),
        outcome: outcomeOf(reply),
        seconds: (performance.now() - started) / 1000,
      });
    } catch (error) {
      metrics.recordDeliveryFailure('slack', 'action');
      log.error({ err: error, actionId: id }, 'could not deliver the button reply');
    }
  }

  app.command(/^\/[\w-]+$/, async ({ command, ack }) => {
    // First the acknowledgement: Slack waits 3 s for it and shows the person an error without it.
    await ack();
    await track(handleSlashCommand(command));
  });

  for (const handler of actions) {
    const pattern = new RegExp(`^${handler.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`);
    app.action(pattern, async ({ ack, body, action }) => {
      await ack();
      if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
      await track(handleButton(body, action.value ?? action.action_id));
    });
  }

  app.error(async (error) => {
    lastError = describeError(error);
    log.error({ err: error }, 'bolt error');
  });

  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => setState('up'));
    receiver.client.on('reconnecting', () => {
      if (!stopping) setState('reconnecting');
    });
    receiver.client.on('disconnected', () => {
      if (!stopping) setState('down');
    });
  }

  return {
    app,
    mode,
    path: config.slack.path,
    ...(requestListener ? { requestListener } : {}),
    routes: requestListener ? { [config.slack.path]: requestListener } : {},
    async start() {
      setState('starting');
      try {
        // Checks the bot token before the first command needs it, and names the workspace in the log.
        const auth = await app.client.auth.test();
        team = auth.team;
        if (mode === 'socket') await app.start();
      } catch (error) {
        lastError = describeError(error);
        setState('down');
        if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect().catch(() => undefined);
        throw new BriefbotError('unavailable', `Slack: could not connect: ${lastError}`, { cause: error });
      }
      setState('up');
      log.info({ team, path: mode === 'http' ? config.slack.path : undefined, apiUrl: config.slack.apiUrl }, 'slack ready');
    },
    stop() {
      stopping ??= (async () => {
        const drainMs = options.drainMs ?? 2000;
        await drain(inflight, drainMs);
        if (receiver instanceof SocketModeReceiver) {
          // app.stop() does not wait for the socket to close; the client's disconnect() does.
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            receiver.client.disconnect().catch((error: unknown) => log.warn({ err: error }, 'socket did not close cleanly')),
            new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000))),
          ]);
          clearTimeout(timer);
        }
        responses.close();
        setState('stopped');
        log.info('slack stopped');
      })();
      return stopping;
    },
    health() {
      return { status: state, mode, ...(team ? { team } : {}), ...(lastError ? { lastError } : {}) };
    },
  };
}
