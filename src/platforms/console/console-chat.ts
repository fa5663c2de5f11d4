import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { runTextCommand, type Command, type CommandServices } from '../../commands/index.js';
import { renderText } from '../../render/text.js';

export interface ConsoleChatOptions {
  commands: readonly Command[];
  services: CommandServices;
  input?: Readable & { isTTY?: boolean };
  output?: Writable;
  /** Lines printed before the first prompt (which platforms are off and why). */
  banner?: string[];
}

/**
 * The console chat: the first adapter of the command layer. In a terminal it is interactive
 * (prompt, line editing, history); with piped input it answers each line and ends at the end of
 * the input.
 */
export function createConsoleChat(options: ConsoleChatOptions): { run(): Promise<void>; stop(): void } {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean(input.isTTY);
  const rl = createInterface({ input, output, terminal: interactive, historySize: 200, prompt: 'briefbot> ' });
  const write = (text: string): void => {
    output.write(text.endsWith('\n') ? text : text + '\n');
  };
  const invocation = {
    platform: 'console' as const,
    user: { id: 'console', name: process.env.USER ?? 'you', canManageChannel: true },
    channel: { id: 'console', name: 'console' },
  };

  async function handle(line: string): Promise<boolean> {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return true;
    if (/^\/?(?:exit|quit|q)$/i.test(trimmed)) return false;
    if (!trimmed.startsWith('/')) {
      write('Commands start with a slash: try /help, /brief, /quote <name>, /articles.');
      return true;
    }
    const { reply } = await runTextCommand(options.commands, trimmed, invocation, options.services);
    write(renderText(reply));
    return true;
  }

  return {
    async run(): Promise<void> {
      for (const line of options.banner ?? []) write(line);
      if (interactive) rl.prompt();
      for await (const line of rl) {
        if (!interactive && line.trim()) write(`> ${line.trim()}`);
        const goOn = await handle(line);
        if (!goOn) break;
        if (interactive) {
          write('');
          rl.prompt();
        } else {
          write('');
        }
      }
      rl.close();
    },
    stop(): void {
      rl.close();
    },
  };
}
