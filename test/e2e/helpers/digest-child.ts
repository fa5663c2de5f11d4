import { join } from 'node:path';
import type { FakeDiscord } from '../../fakes/fake-discord.js';
import type { FakeSlack } from '../../fakes/fake-slack.js';
import { ROOT, start, type Finished } from './spawn.js';

/**
 * The crash tests' tools: a child process that delivers the due digest slot on a store
 * (test/digest/fixtures/digest-child.ts) and a kill armed inside the fakes' post handlers, so it
 * lands inside a request, before the fake stores the message or after.
 */

export type KillMode = 'before-store' | 'after-store';

export interface Killable {
  kill(signal: NodeJS.Signals): boolean;
}

/** Kills the running child inside the post request that brings the count of posts to `at`; returns the count so far. */
export function armKill(fakes: { discord: FakeDiscord; slack: FakeSlack }, kills: Array<{ at: number; mode: KillMode }>, current: () => Killable | undefined): () => number {
  let posts = 0;
  const onPost = () => {
    posts++;
    const kill = kills.find((k) => k.at === posts);
    if (!kill) return undefined;
    current()?.kill('SIGKILL');
    // before-store: the fake answers an error and keeps nothing (the dead process never reads it);
    // after-store: the fake goes on to store the message and answer a socket nobody reads.
    return kill.mode === 'before-store' ? { status: 500, body: { message: 'the caller died', code: 0 } } : undefined;
  };
  // Posts into a Discord thread go to the thread's own channel: the same route.
  fakes.discord.register('POST', '/channels/:channelId/messages', onPost);
  fakes.slack.register('chat.postMessage', onPost);
  return () => posts;
}

/** Runs the digest child once on the store, against the fakes (killed after a minute if it hangs). */
export async function runDigestChild(world: { storePath: string; discord: FakeDiscord; slack: FakeSlack }, onStart: (child: Killable) => void): Promise<Finished> {
  const proc = start([join(ROOT, 'bin/run-ts.js'), join(ROOT, 'test/digest/fixtures/digest-child.ts'), world.storePath, world.discord.apiUrl, world.slack.apiUrl], { cwd: ROOT, env: {} });
  onStart(proc.child);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 60_000);
  const finished = await proc.finished;
  clearTimeout(timer);
  return finished;
}

/** Runs the child, restarting it after each planned kill, until it finishes on its own or the kills are used up. */
export async function runUntilDone(world: { storePath: string; discord: FakeDiscord; slack: FakeSlack }, kills: readonly unknown[], onStart: (child: Killable) => void): Promise<Finished[]> {
  const runs: Finished[] = [];
  for (let i = 0; i <= kills.length; i++) {
    runs.push(await runDigestChild(world, onStart));
    if (runs.at(-1)!.signal !== 'SIGKILL') break;
  }
  return runs;
}
