import { runCli } from './main.js';

/** The executable entry (bin/briefbot.js runs its build): the command line on this process's arguments and streams. */
process.exitCode = await runCli(process.argv.slice(2));
