import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, OptionSpec } from '../../commands/index.js';

/**
 * Discord's slash-command definitions, derived from the command list so a command's options
 * are written once. `npm run register` publishes exactly this.
 *
 * Discord has no per-subcommand permissions: `default_member_permissions` applies to a whole
 * command. /digest mixes subcommands anyone may use (now, status) with ones only channel
 * managers may use (subscribe, unsubscribe), so it is declared open and the adapter checks
 * Manage Channels on every subscribe/unsubscribe it receives. A command whose every subcommand
 * needs a manager is declared with Manage Channels, so Discord hides it from everyone else.
 */

/** Discord's limits on definitions. */
export const DEFINITION_LIMITS = { description: 100, choiceName: 100, choiceValue: 100, options: 25 } as const;

const MANAGE_CHANNELS = PermissionFlagsBits.ManageChannels.toString();

function describe(text: string): string {
  if (text.length <= DEFINITION_LIMITS.description) return text;
  const cut = text.slice(0, DEFINITION_LIMITS.description - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > 60 ? cut.slice(0, space) : cut}…`;
}

function toOption(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: spec.name, description: describe(spec.description), required: Boolean(spec.required) };
  if (spec.type === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer,
      ...(spec.min !== undefined ? { min_value: spec.min } : {}),
      ...(spec.max !== undefined ? { max_value: spec.max } : {}),
    };
  }
  if (spec.choices) {
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      choices: spec.choices.map((c) => ({ name: c.slice(0, DEFINITION_LIMITS.choiceName), value: c.slice(0, DEFINITION_LIMITS.choiceValue) })),
    };
  }
  return {
    ...base,
    type: ApplicationCommandOptionType.String,
    ...(spec.maxLength !== undefined ? { max_length: spec.maxLength } : {}),
    ...(spec.autocomplete ? { autocomplete: true } : {}),
  };
}

/** Discord requires the required options first. */
function toOptions(specs: readonly OptionSpec[]): APIApplicationCommandBasicOption[] {
  const options = specs.map(toOption);
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)].slice(0, DEFINITION_LIMITS.options);
}

export function toDiscordDefinition(command: Command): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: describe(command.description),
  };
  if (command.subcommands && command.subcommands.length > 0) {
    definition.options = command.subcommands.map(
      (sub): APIApplicationCommandSubcommandOption => ({
        type: ApplicationCommandOptionType.Subcommand,
        name: sub.name,
        description: describe(sub.description),
        options: toOptions(sub.options),
      }),
    );
    if (command.subcommands.every((s) => s.requiresManager)) definition.default_member_permissions = MANAGE_CHANNELS;
  } else {
    definition.options = toOptions(command.options);
  }
  return definition;
}

export function toDiscordDefinitions(commands: readonly Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map(toDiscordDefinition);
}
