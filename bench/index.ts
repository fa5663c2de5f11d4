/**
 * `npm run bench [-- <name> [options]]`: benchmarks print numbers and the machine's context;
 * none of them fails on a time. Without a name, the engine benchmark runs.
 */
import { cpus } from 'node:os';

type Bench = (args: string[]) => Promise<void>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  engine: async () => (await import('./engine.js')).runEngineBench,
  digest: async () => (await import('./digest.js')).runDigestBench,
  ingest: async () => (await import('./ingest.js')).runIngestBench,
  chat: async () => (await import('./chat.js')).runChatBench,
  startup: async () => (await import('./startup.js')).runStartupBench,
  scale: async () => (await import('./scale.js')).runScaleBench,
  stories: async () => (await import('./stories.js')).runStoriesBench,
};

export function machineContext(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `node ${process.version}, ${cpus().length} cores (${cpu}), ${process.platform}/${process.arch}`;
}

const [name = 'engine', ...rest] = process.argv.slice(2);
const load = BENCHES[name];
if (!load) {
  console.error(`bench: unknown benchmark "${name}" (have: ${Object.keys(BENCHES).join(', ')})`);
  process.exitCode = 2;
} else {
  console.log(`bench ${name} · ${machineContext()}`);
  await (await load())(rest);
}
