import type { Command } from '../../commands/index.js';

/**
 * The Slack app manifest, derived from the command list: paste it into "Create New App → From
 * an app manifest" (https://api.slack.com/apps) and the slash commands, scopes, request URLs
 * (or Socket Mode) and interactivity are all set up at once.
 */

export interface SlackManifestOptions {
  /** The app's name in Slack (≤ 35 characters). */
  name?: string;
  /** Socket Mode: no public URL needed. Otherwise `requestUrl` is required. */
  socketMode: boolean;
  /** Where Slack posts slash commands and button presses, e.g. https://bot.example.com/slack/events. */
  requestUrl?: string;
}

/** Scopes briefbot asks for, and why. */
export const SLACK_BOT_SCOPES: ReadonlyArray<{ scope: string; why: string }> = [
  { scope: 'commands', why: 'the slash commands' },
  { scope: 'chat:write', why: 'posting scheduled digests' },
  { scope: 'chat:write.public', why: 'posting digests to public channels the bot has not joined' },
  { scope: 'users:read', why: 'checking that whoever manages digests is a workspace admin or owner' },
];

const LIMITS = { name: 35, description: 140, longDescription: 4000, commandDescription: 100, usageHint: 100 } as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** `/brief [article] [length: tldr|short|full]` → `[article] [length: tldr|short|full]`. */
export function usageHint(command: Command): string {
  return cut(command.usage.replace(new RegExp(`^/${command.name}\\s*`), ''), LIMITS.usageHint);
}

export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; long_description?: string; background_color: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; description: string; usage_hint?: string; should_escape: boolean; url?: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

export function createSlackManifest(commands: readonly Command[], options: SlackManifestOptions): SlackManifest {
  if (!options.socketMode && !options.requestUrl) throw new Error('an HTTP-mode manifest needs the public request URL');
  if (options.requestUrl && !/^https:\/\//.test(options.requestUrl)) throw new Error('Slack only posts to https:// request URLs');
  const url = options.socketMode ? undefined : options.requestUrl;
  const name = cut(options.name ?? 'briefbot', LIMITS.name);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: cut('News briefings in Slack: TL;DR, key points, figures and who said what.', LIMITS.description),
      long_description: cut(
        [
          'briefbot briefs your team on the news without leaving Slack.',
          ...commands.map((c) => `${c.usage}: ${c.description}`),
          'Every briefing is traceable to its article; nothing briefbot posts can mention a person or a channel.',
        ].join('\n'),
        LIMITS.longDescription,
      ),
      background_color: '#2b6cb0',
    },
    features: {
      bot_user: { display_name: name, always_online: true },
      slash_commands: commands.map((c) => {
        const hint = usageHint(c);
        return {
          command: `/${c.name}`,
          description: cut(c.description, LIMITS.commandDescription),
          ...(hint ? { usage_hint: hint } : {}),
          // Unescaped: what people type arrives as they typed it; briefbot escapes everything it posts.
          should_escape: false,
          ...(url ? { url } : {}),
        };
      }),
    },
    oauth_config: { scopes: { bot: SLACK_BOT_SCOPES.map((s) => s.scope) } },
    settings: {
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}
