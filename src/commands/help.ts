import { usageOf } from './options.js';
import type { ReplySection } from '../reply/reply.js';
import type { Command } from './types.js';

/** Help is derived from the command list, so it can never disagree with what the commands accept. */
export function createHelpCommand(list: () => readonly Command[]): Command {
  return {
    name: 'help',
    description: 'What briefbot can do, and how to ask.',
    usage: '/help [command]',
    ephemeral: true,
    options: [{ name: 'command', description: 'One command to explain', type: 'string', maxLength: 32 }],
    run(input) {
      const wanted = (input.options.command as string | undefined)?.replace(/^\//, '').toLowerCase();
      const commands = list().filter((c) => !wanted || c.name === wanted);
      if (commands.length === 0) return { ephemeral: true, text: `No command "${wanted}". Try /help.`, cards: [], buttons: [], error: true };
      const sections: ReplySection[] = commands.map((c) => {
        const lines = [c.usage];
        if (c.subcommands) for (const s of c.subcommands) lines.push(`${usageOf(c.name, s.options, s.name)}: ${s.description}`);
        for (const o of c.options) lines.push(`${o.name}: ${o.description}${o.choices ? ` (${o.choices.join(', ')})` : ''}`);
        if (c.examples?.length) lines.push(`e.g. ${c.examples.join('   ')}`);
        return { heading: `/${c.name}: ${c.description}`, items: lines };
      });
      return { ephemeral: true, cards: [{ title: wanted ? `/${wanted}` : 'briefbot commands', sections }], buttons: [] };
    },
  };
}
