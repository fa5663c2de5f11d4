/**
 * `npm run container-check [-- --keep] [-- --compile-native]`: builds and starts briefbot's image
 * without Docker, by reading the Dockerfile itself, so the Dockerfile cannot silently rot on
 * machines that have no Docker engine (these, and CI). `npm test` runs it
 * (test/e2e/container.test.ts).
 *
 * Each stage gets a folder of its own that stands for the image's root (an absolute path `/app`
 * of the image is `<stage>/app`); COPY, WORKDIR and RUN act there, in order. A base image is an
 * empty folder plus what the check knows about it (the official node images: their Node major,
 * which must be this machine's, and their `node` user, uid 1000). The final stage is then started
 * with its CMD, its ENV (absolute paths mapped into its folder), as its USER when this process may
 * switch user (root, as in CI), and the runtime environment a `docker run -e` or compose's
 * env_file would add; its HEALTHCHECK command is run until it passes, as Docker would, and the
 * process is stopped with SIGTERM and must exit 0.
 *
 * Any instruction, flag or form the check does not implement stops it with the Dockerfile's line
 * number, so an edit the check cannot follow fails loudly instead of being skipped. RUN may not
 * name absolute paths (they would act on this machine, not in the image).
 *
 * Two things differ from a Docker build, on purpose, and only on the builder's side:
 * - RUN steps see `npm_config_prefer_offline=true`, so `npm ci` uses the npm cache the project's
 *   own install filled (a builder cache, like BuildKit's cache mounts).
 * - In a Docker build better-sqlite3's install script downloads a prebuilt addon from GitHub,
 *   which this machine cannot reach; compiling it instead takes over a minute on two cores. So the
 *   addon the project's own `npm ci` built (same version, same Node ABI) is offered to that script
 *   as a local prebuild (`npm_config_better_sqlite3_local_prebuilds`, prebuild-install's own
 *   option). The install script still runs and installs it. `--compile-native` skips the stand-in
 *   and compiles, as a Docker build does when the download fails.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Reading the Dockerfile

export type Instruction =
  | { kind: 'FROM'; line: number; image: string; name?: string }
  | { kind: 'WORKDIR'; line: number; path: string }
  | { kind: 'COPY'; line: number; from?: string; chown?: string; sources: string[]; dest: string }
  | { kind: 'RUN'; line: number; command: string }
  | { kind: 'ENV'; line: number; vars: Array<[string, string]> }
  | { kind: 'USER'; line: number; user: string }
  | { kind: 'VOLUME'; line: number; paths: string[] }
  | { kind: 'EXPOSE'; line: number; ports: number[] }
  | { kind: 'HEALTHCHECK'; line: number; intervalMs: number; timeoutMs: number; startPeriodMs: number; retries: number; argv: string[] }
  | { kind: 'CMD'; line: number; argv: string[] };

export class DockerfileError extends Error {
  constructor(line: number, message: string) {
    super(`Dockerfile:${line}: ${message}`);
    this.name = 'DockerfileError';
  }
}

/** Joins continuation lines and drops comments and blank lines; keeps each instruction's first line number. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let current: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comment lines (parser directives such as `# syntax=` included) may sit inside a continuation too.
    if (trimmed.startsWith('#') || (trimmed === '' && !current)) return;
    const continued = /\\\s*$/.test(raw);
    const piece = continued ? raw.replace(/\\\s*$/, '') : raw;
    if (current) current.text += ` ${piece.trim()}`;
    else current = { line: i + 1, text: piece.trim() };
    if (!continued) {
      if (current.text !== '') out.push(current);
      current = undefined;
    }
  });
  if (current) throw new DockerfileError(current.line, 'the last instruction ends with a line continuation');
  return out;
}

/** Splits on whitespace, honouring "double" and 'single' quotes anywhere in a word (no escapes, no variables). */
function words(text: string, line: number): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+|["']/g)) {
    if (m[0] === '"' || m[0] === "'") throw new DockerfileError(line, `an unclosed quotation mark in: ${text}`);
    out.push(m[0].replace(/"([^"]*)"|'([^']*)'/g, (_q, d: string | undefined, s1: string | undefined) => d ?? s1 ?? ''));
  }
  return out;
}

function execForm(text: string, line: number, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DockerfileError(line, `${what} must be in exec form (a JSON array of strings), got: ${text}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((s) => typeof s === 'string')) throw new DockerfileError(line, `${what} must be a non-empty JSON array of strings`);
  return parsed as string[];
}

function duration(value: string, line: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new DockerfileError(line, `cannot read the duration "${value}" (use e.g. 30s, 500ms, 1m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']!;
}

/** Splits leading `--flag=value` words off an instruction's arguments, refusing flags not in `allowed`. */
function flags(rest: string, line: number, keyword: string, allowed: readonly string[]): { flags: Record<string, string>; rest: string } {
  const found: Record<string, string> = {};
  let remaining = rest;
  for (;;) {
    const m = /^--([a-z-]+)=(\S+)\s*/.exec(remaining);
    if (!m) break;
    if (!allowed.includes(m[1]!)) throw new DockerfileError(line, `the container check does not implement ${keyword} --${m[1]} (it knows: ${allowed.map((a) => `--${a}`).join(', ') || 'none'})`);
    found[m[1]!] = m[2]!;
    remaining = remaining.slice(m[0].length);
  }
  if (/^--/.test(remaining)) throw new DockerfileError(line, `cannot read the flag in: ${keyword} ${remaining}`);
  return { flags: found, rest: remaining };
}

/** Parses a Dockerfile into the instructions the check implements; anything else is an error naming its line. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  for (const { line, text: body } of logicalLines(text)) {
    const m = /^(\S+)\s*(.*)$/.exec(body)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    // No instruction is read with variable substitution here, so a `$` would mean something else in Docker.
    if (keyword !== 'RUN' && keyword !== 'HEALTHCHECK' && keyword !== 'CMD' && args.includes('$')) throw new DockerfileError(line, `${keyword} uses a variable ($): the container check does not substitute variables`);
    switch (keyword) {
      case 'FROM': {
        const { rest } = flags(args, line, 'FROM', []);
        const w = words(rest, line);
        if (w.length === 1) out.push({ kind: 'FROM', line, image: w[0]! });
        else if (w.length === 3 && w[1]!.toUpperCase() === 'AS') out.push({ kind: 'FROM', line, image: w[0]!, name: w[2]! });
        else throw new DockerfileError(line, `cannot read FROM ${args} (FROM image [AS name])`);
        break;
      }
      case 'WORKDIR':
        if (!args || /\s/.test(args)) throw new DockerfileError(line, 'WORKDIR needs one path without spaces');
        out.push({ kind: 'WORKDIR', line, path: args });
        break;
      case 'COPY': {
        const { flags: f, rest } = flags(args, line, 'COPY', ['from', 'chown']);
        if (rest.startsWith('[')) throw new DockerfileError(line, 'COPY in JSON form is not implemented by the container check');
        const w = words(rest, line);
        if (w.length < 2) throw new DockerfileError(line, 'COPY needs at least one source and a destination');
        for (const s of w.slice(0, -1)) if (/[*?[]/.test(s)) throw new DockerfileError(line, `COPY source "${s}" has a wildcard: the container check copies named paths only`);
        out.push({ kind: 'COPY', line, ...(f.from ? { from: f.from } : {}), ...(f.chown ? { chown: f.chown } : {}), sources: w.slice(0, -1), dest: w.at(-1)! });
        break;
      }
      case 'RUN': {
        const { rest } = flags(args, line, 'RUN', []);
        if (rest.startsWith('[')) throw new DockerfileError(line, 'RUN in exec form is not implemented by the container check; use the shell form');
        // An absolute path would act on this machine, not inside the image's folder.
        if (/(^|[\s;&|(=<>])\//.test(rest)) throw new DockerfileError(line, `RUN names an absolute path, which the container check would run on this machine: ${rest}`);
        if (!rest) throw new DockerfileError(line, 'RUN needs a command');
        out.push({ kind: 'RUN', line, command: rest });
        break;
      }
      case 'ENV': {
        const w = words(args, line);
        if (w.length === 0 || !w.every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x))) throw new DockerfileError(line, 'ENV must be KEY=value pairs (the legacy `ENV KEY value` form is not implemented)');
        out.push({ kind: 'ENV', line, vars: w.map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] as [string, string]) });
        break;
      }
      case 'USER':
        if (!/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$|^\d+(:\d+)?$/.test(args)) throw new DockerfileError(line, `cannot read USER ${args}`);
        out.push({ kind: 'USER', line, user: args });
        break;
      case 'VOLUME': {
        const paths = args.startsWith('[') ? execForm(args, line, 'VOLUME') : words(args, line);
        for (const p of paths) if (!p.startsWith('/')) throw new DockerfileError(line, `VOLUME ${p} must be an absolute path`);
        out.push({ kind: 'VOLUME', line, paths });
        break;
      }
      case 'EXPOSE': {
        const ports = words(args, line).map((p) => {
          const pm = /^(\d+)(\/tcp)?$/.exec(p);
          if (!pm) throw new DockerfileError(line, `EXPOSE ${p}: the container check knows TCP ports only`);
          return Number(pm[1]);
        });
        out.push({ kind: 'EXPOSE', line, ports });
        break;
      }
      case 'HEALTHCHECK': {
        const { flags: f, rest } = flags(args, line, 'HEALTHCHECK', ['interval', 'timeout', 'start-period', 'retries']);
        const cm = /^CMD\s+(.*)$/i.exec(rest);
        if (!cm) throw new DockerfileError(line, `HEALTHCHECK must be followed by CMD (HEALTHCHECK NONE is not implemented): ${rest}`);
        out.push({
          kind: 'HEALTHCHECK',
          line,
          intervalMs: duration(f.interval ?? '30s', line),
          timeoutMs: duration(f.timeout ?? '30s', line),
          startPeriodMs: duration(f['start-period'] ?? '0s', line),
          retries: Number(f.retries ?? 3),
          argv: execForm(cm[1]!, line, 'HEALTHCHECK CMD'),
        });
        break;
      }
      case 'CMD':
        // The shell form would make sh PID 1, and SIGTERM would never reach node.
        out.push({ kind: 'CMD', line, argv: execForm(args, line, 'CMD (the shell form would keep SIGTERM from node)') });
        break;
      default:
        throw new DockerfileError(line, `the container check does not understand ${keyword}; teach scripts/container-check.ts what it does before using it`);
    }
  }
  if (out[0]?.kind !== 'FROM') throw new DockerfileError(out[0]?.line ?? 1, 'a Dockerfile starts with FROM');
  return out;
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

/** Docker's rules: paths relative to the context, `*` and `?` within one segment, `**` across segments, `!` re-includes, the last match wins, and a pattern that matches a folder excludes what is in it. */
export function createIgnore(text: string): (relPath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
      if (/[[\\]/.test(pattern)) throw new Error(`.dockerignore: the container check does not implement character classes or escapes: ${l}`);
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === '*' && pattern[i + 1] === '*') {
          i++;
          if (pattern[i + 1] === '/') {
            i++;
            re += '(?:.*/)?';
          } else re += '.*';
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}$`) };
    });
  return (relPath) => {
    const parts = relPath.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

// ---------------------------------------------------------------------------------------------
// Building

interface BaseImage {
  nodeMajor: number;
  users: Record<string, { uid: number; gid: number; home: string }>;
}

/** What the check knows of the base images it accepts: the official node images (their `node` user is uid/gid 1000). */
function baseImage(image: string, line: number): BaseImage {
  const m = /^node:(\d+)(?:[.-][\w.-]*)?$/.exec(image);
  if (!m) throw new DockerfileError(line, `the container check knows the official node:<major>[-variant] images and earlier stages, not ${image}`);
  const nodeMajor = Number(m[1]);
  const here = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== here) throw new DockerfileError(line, `${image} runs Node ${nodeMajor}, this machine Node ${here}: the check would not run what the image runs`);
  return { nodeMajor, users: { root: { uid: 0, gid: 0, home: '/root' }, node: { uid: 1000, gid: 1000, home: '/home/node' } } };
}

interface Stage {
  name: string;
  root: string;
  base: BaseImage;
  env: Record<string, string>;
  workdir: string;
  user: string;
  volumes: string[];
  exposed: number[];
  healthcheck?: Extract<Instruction, { kind: 'HEALTHCHECK' }>;
  cmd?: string[];
}

export interface CheckOptions {
  /** The build context (default: the repository). */
  context?: string;
  /** Environment added at run time, as `docker run -e` or compose's env_file would (platform credentials). */
  runtimeEnv: Record<string, string>;
  /** Compile better-sqlite3 instead of offering the project's own addon as its prebuild. */
  compileNative?: boolean;
  /** Keep the temporary folder (its path is printed). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface CheckReport {
  stages: string[];
  /** The final stage's user, and whether the process really ran as it (only possible as root). */
  user: { name: string; uid: number; gid: number; enforced: boolean };
  /** Packages only development needs (the lockfile's "dev": true) still in the final image's node_modules (should be none). */
  devOnlyLeft: string[];
  /** Production dependencies missing from it (should be none). */
  dependenciesMissing: string[];
  exposed: number[];
  volumes: Array<{ path: string; ownedByUser: boolean | 'not checked'; files: string[] }>;
  health: { attempts: number; seconds: number; status: number; body: unknown };
  exit: { code: number | null; signal: string | null };
  seconds: number;
  /** The process's stderr (JSON log lines), for a caller that wants to look. */
  stderr: string;
}

const canSwitchUser = typeof process.getuid === 'function' && process.getuid() === 0;

/** Maps a path of the image into the stage's folder. */
const inImage = (stage: Stage, path: string): string => join(stage.root, posix.resolve(stage.workdir, path));

function userOf(stage: Stage, line: number): { name: string; uid: number; gid: number; home: string } {
  const [name, group] = stage.user.split(':') as [string, string | undefined];
  if (/^\d+$/.test(name)) return { name, uid: Number(name), gid: Number(group ?? name), home: '/' };
  const known = stage.base.users[name];
  if (!known) throw new DockerfileError(line, `user ${name} is not one the base image is known to have (${Object.keys(stage.base.users).join(', ')})`);
  if (group && group !== name) throw new DockerfileError(line, `group ${group}: the container check knows each user's own group only`);
  return { name, ...known };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (lstatSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

function run(argv: string[], options: SpawnOptions & { timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/**
 * Packs the project's own better-sqlite3 addon under the name prebuild-install looks for, when it
 * is the lockfile's version; returns the environment that points the install script at it.
 */
async function nativeStandIn(context: string, work: string, log: (l: string) => void): Promise<Record<string, string>> {
  const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const wanted = lock.packages['node_modules/better-sqlite3']?.version;
  const pkgDir = join(context, 'node_modules', 'better-sqlite3');
  const addon = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  const have = existsSync(join(pkgDir, 'package.json')) ? (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version : undefined;
  if (!wanted || have !== wanted || !existsSync(addon)) {
    log(`  (no stand-in for better-sqlite3's prebuilt download: the project's own addon is ${have ?? 'missing'}, the lockfile wants ${wanted ?? 'none'}; it will compile)`);
    return {};
  }
  const dir = join(work, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `better-sqlite3-v${wanted}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  const packed = await run(['tar', '-czf', file, '-C', pkgDir, 'build/Release/better_sqlite3.node'], {});
  if (packed.code !== 0) throw new Error(`could not pack the better-sqlite3 stand-in: ${packed.output}`);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The check: build every stage, start the last one, probe its HEALTHCHECK, stop it. Throws on any failure. */
export async function checkContainer(options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const context = resolve(options.context ?? ROOT);
  const instructions = parseDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'));
  const ignored = existsSync(join(context, '.dockerignore')) ? createIgnore(readFileSync(join(context, '.dockerignore'), 'utf8')) : () => false;
  const work = mkdtempSync(join(tmpdir(), 'briefbot-container-'));
  // The image's user must be able to reach its folder, as it can reach / in a container.
  chmodSync(work, 0o755);
  const stages: Stage[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const builderEnv: Record<string, string> = { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    if (!options.compileNative) Object.assign(builderEnv, await nativeStandIn(context, work, log));

    let stage: Stage | undefined;
    for (const ins of instructions) {
      const at = performance.now();
      const label = `  ${String(ins.line).padStart(3)} ${ins.kind}`;
      if (ins.kind === 'FROM') {
        const parent = stages.find((s) => s.name === ins.image);
        const name = ins.name ?? String(stages.length);
        if (stages.some((s) => s.name === name)) throw new DockerfileError(ins.line, `a second stage named ${name}`);
        const root = join(work, 'stages', `${stages.length}-${name}`);
        mkdirSync(root, { recursive: true });
        chmodSync(join(work, 'stages'), 0o755);
        chmodSync(root, 0o755);
        if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
        const base = parent?.base ?? baseImage(ins.image, ins.line);
        stage = parent
          ? { ...parent, name, root, env: { ...parent.env }, volumes: [...parent.volumes], exposed: [...parent.exposed] }
          : { name, root, base, env: {}, workdir: '/', user: 'root', volumes: [], exposed: [] };
        if (!parent) for (const u of Object.values(base.users)) mkdirSync(join(root, u.home), { recursive: true });
        stages.push(stage);
        log(`stage ${name} (FROM ${ins.image})`);
        continue;
      }
      if (!stage) throw new DockerfileError(ins.line, 'instruction before FROM');
      const s: Stage = stage;
      switch (ins.kind) {
        case 'WORKDIR':
          s.workdir = posix.resolve(s.workdir, ins.path);
          mkdirSync(join(s.root, s.workdir), { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of ins.vars) s.env[k] = v;
          break;
        case 'USER':
          s.user = ins.user;
          userOf(s, ins.line);
          break;
        case 'VOLUME':
          s.volumes.push(...ins.paths);
          for (const p of ins.paths) mkdirSync(join(s.root, p), { recursive: true });
          break;
        case 'EXPOSE':
          s.exposed.push(...ins.ports);
          break;
        case 'HEALTHCHECK':
          s.healthcheck = ins;
          break;
        case 'CMD':
          s.cmd = ins.argv;
          break;
        case 'COPY': {
          const from = ins.from === undefined ? undefined : stages.find((x) => x.name === ins.from && x !== s);
          if (ins.from !== undefined && !from) throw new DockerfileError(ins.line, `COPY --from=${ins.from} names no earlier stage (the container check copies from stages only)`);
          const owner = ins.chown ? userOf({ ...s, user: ins.chown }, ins.line) : undefined;
          const destIsDir = ins.dest.endsWith('/') || ins.sources.length > 1;
          const dest = inImage(s, ins.dest);
          for (const source of ins.sources) {
            let src: string;
            if (from) src = join(from.root, posix.resolve('/', source));
            else {
              const rel = posix.normalize(source).replace(/^\/+/, '').replace(/\/+$/, '') || '.';
              if (rel.startsWith('..')) throw new DockerfileError(ins.line, `COPY ${source} is outside the build context`);
              if (rel !== '.' && ignored(rel)) throw new DockerfileError(ins.line, `COPY ${source}: excluded by .dockerignore, so not in the build context`);
              src = join(context, rel);
            }
            if (!existsSync(src)) throw new DockerfileError(ins.line, `COPY ${source}: not found${from ? ` in stage ${from.name}` : ' in the build context'}`);
            const target = statSync(src).isDirectory() ? dest : destIsDir ? join(dest, posix.basename(source)) : dest;
            mkdirSync(statSync(src).isDirectory() ? target : dirname(target), { recursive: true });
            cpSync(src, target, {
              recursive: true,
              verbatimSymlinks: true,
              // .dockerignore applies to the build context only.
              filter: (p) => from !== undefined || p === src || !ignored(relative(context, p).split(sep).join('/')),
            });
            if (owner && canSwitchUser) chownTree(target, owner.uid, owner.gid);
          }
          break;
        }
        case 'RUN': {
          const user = userOf(s, ins.line);
          const cwd = join(s.root, s.workdir);
          mkdirSync(cwd, { recursive: true });
          const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...s.env, ...builderEnv };
          const result = await run(['/bin/sh', '-c', ins.command], { cwd, env, ...(canSwitchUser && user.uid !== 0 ? { uid: user.uid, gid: user.gid } : {}) });
          if (result.code !== 0) throw new DockerfileError(ins.line, `RUN ${ins.command} exited with ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`);
          break;
        }
      }
      const took = (performance.now() - at) / 1000;
      if (ins.kind === 'RUN' || ins.kind === 'COPY') log(`${label} ${ins.kind === 'RUN' ? ins.command : [...(ins.from ? [`--from=${ins.from}`] : []), ...(ins.chown ? [`--chown=${ins.chown}`] : []), ...ins.sources, '→', ins.dest].join(' ')}${took >= 0.1 ? ` (${took.toFixed(1)} s)` : ''}`);
    }

    const final = stages.at(-1)!;
    if (!final.cmd) throw new Error('the final stage has no CMD');
    if (!final.healthcheck) throw new Error('the final stage has no HEALTHCHECK');
    const user = userOf(final, 0);

    // What the image holds: production dependencies only. The lockfile marks what only development needs ("dev": true);
    // a development dependency that a production one needs too (ws for discord.js) rightly stays.
    const appDir = join(final.root, final.workdir);
    const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnlyLeft = Object.entries(lock.packages)
      .filter(([path, entry]) => entry.dev && path.startsWith('node_modules/') && existsSync(join(appDir, path, 'package.json')))
      .map(([path]) => path.slice('node_modules/'.length));
    const dependenciesMissing = Object.keys(pkg.dependencies ?? {}).filter((n) => !existsSync(join(appDir, 'node_modules', n, 'package.json')));

    // Start it as `docker run` would: the image's ENV (paths mapped into its folder), then the runtime environment.
    const port = options.runtimeEnv.PORT ? Number(options.runtimeEnv.PORT) : await freePort();
    const imageEnv = Object.fromEntries(Object.entries(final.env).map(([k, v]) => [k, v.startsWith('/') ? join(final.root, v) : v]));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOSTNAME: 'briefbot-container-check', HOME: join(final.root, user.home), ...imageEnv, ...options.runtimeEnv, PORT: String(port) };
    const asUser = canSwitchUser ? { uid: user.uid, gid: user.gid } : {};
    const mapArgs = (argv: string[]): string[] => argv.map((a, i) => (i > 0 && a.startsWith('/') ? join(final.root, a) : a));
    log(`start: ${final.cmd.join(' ')} as ${user.name}${canSwitchUser ? ` (uid ${user.uid})` : ' (not enforced: this process is not root)'}, PORT=${port}${final.exposed.length ? ` (the image exposes ${final.exposed.join(', ')})` : ''}`);
    const proc = spawn(mapArgs(final.cmd)[0]!, mapArgs(final.cmd).slice(1), { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
    child = proc;
    let stderr = '';
    proc.stdout!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => proc.on('close', (code, signal) => r({ code, signal })));
    let exitedEarly: { code: number | null; signal: string | null } | undefined;
    void exited.then((e) => (exitedEarly = e));

    // HEALTHCHECK: its own command, in the container's environment, until it passes within the start period.
    const hc = final.healthcheck;
    const healthStarted = performance.now();
    let attempts = 0;
    for (;;) {
      if (exitedEarly) throw new Error(`the container's process exited (${exitedEarly.code ?? exitedEarly.signal}) before it was healthy:\n${stderr.slice(-3000)}`);
      attempts++;
      const probe = await run(mapArgs(hc.argv), { cwd: appDir, env, timeoutMs: hc.timeoutMs, ...asUser });
      if (probe.code === 0) break;
      if (performance.now() - healthStarted > hc.startPeriodMs) throw new Error(`HEALTHCHECK still failing after the start period (${hc.startPeriodMs / 1000} s, ${attempts} attempts): ${probe.output}\n${stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const healthSeconds = (performance.now() - healthStarted) / 1000;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    const health = { attempts, seconds: healthSeconds, status: res.status, body: (await res.json()) as unknown };
    log(`healthy after ${healthSeconds.toFixed(1)} s (${attempts} HEALTHCHECK runs): /healthz ${res.status} ${JSON.stringify(health.body)}`);

    const volumes = final.volumes.map((v) => {
      const dir = join(final.root, v);
      const st = statSync(dir);
      return { path: v, ownedByUser: canSwitchUser ? st.uid === user.uid : ('not checked' as const), files: readdirSync(dir) };
    });

    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 25_000);
    const exit = await exited;
    clearTimeout(timer);
    child = undefined;
    log(`stopped by SIGTERM: exit ${exit.code ?? exit.signal}`);
    return {
      stages: stages.map((s) => s.name),
      user: { name: user.name, uid: user.uid, gid: user.gid, enforced: canSwitchUser },
      devOnlyLeft,
      dependenciesMissing,
      exposed: final.exposed,
      volumes,
      health,
      exit,
      seconds: (performance.now() - started) / 1000,
      stderr,
    };
  } finally {
    child?.kill('SIGKILL');
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// compose.yaml

/** The compose file must run the image it builds with the Dockerfile's volume and port. */
export function checkCompose(text: string, dockerfile: string): string[] {
  const problems: string[] = [];
  const final = parseDockerfile(dockerfile);
  const volumes = final.flatMap((i) => (i.kind === 'VOLUME' ? i.paths : []));
  const ports = final.flatMap((i) => (i.kind === 'EXPOSE' ? i.ports : []));
  const doc = parseYaml(text) as { services?: Record<string, Record<string, unknown>> };
  const services = Object.entries(doc.services ?? {});
  if (services.length !== 1) problems.push(`compose.yaml: expected one service, found ${services.length}`);
  for (const [name, svc] of services) {
    const build = svc.build as string | { context?: string } | undefined;
    if ((typeof build === 'string' ? build : build?.context) !== '.') problems.push(`compose.yaml: ${name} must build the Dockerfile here (build: .)`);
    if (!svc.env_file) problems.push(`compose.yaml: ${name} has no env_file`);
    const mounted = ((svc.volumes as string[] | undefined) ?? []).map((v) => v.split(':')[1]);
    for (const v of volumes) if (!mounted.includes(v)) problems.push(`compose.yaml: ${name} mounts no volume at ${v} (the Dockerfile's VOLUME)`);
    const published = ((svc.ports as string[] | undefined) ?? []).map((p) => Number(String(p).split(':').at(-1)));
    for (const p of ports) if (!published.includes(p)) problems.push(`compose.yaml: ${name} publishes no port ${p} (the Dockerfile's EXPOSE)`);
  }
  return problems;
}

/**
 * compose.replicas.yaml: PostgreSQL and several replicas of the image. Each replica must reach the
 * database service (and wait until it is healthy), run shards no other replica runs (together all
 * of 0…count-1, one count for all), publish the Dockerfile's port on a host port of its own, and
 * have a hostname of its own (part of its name in delivery claims).
 */
export function checkReplicasCompose(text: string, dockerfile: string): string[] {
  const file = 'compose.replicas.yaml';
  const problems: string[] = [];
  const ports = parseDockerfile(dockerfile).flatMap((i) => (i.kind === 'EXPOSE' ? i.ports : []));
  // Merge keys (`<<: *briefbot`), as Compose reads them.
  const doc = parseYaml(text, { merge: true }) as { services?: Record<string, Record<string, unknown>> };
  const services = Object.entries(doc.services ?? {});
  const databases = services.filter(([, svc]) => typeof svc.image === 'string' && /^postgres(:|$)/.test(svc.image));
  if (databases.length !== 1) problems.push(`${file}: expected one postgres service, found ${databases.length}`);
  const [database, db] = databases[0] ?? [];
  if (db && !db.healthcheck) problems.push(`${file}: ${database} has no healthcheck (the replicas wait until it is healthy)`);
  if (db && !((db.volumes as string[] | undefined) ?? []).some((v) => v.split(':')[1] === '/var/lib/postgresql/data')) problems.push(`${file}: ${database} keeps its data on no volume`);
  const replicas = services.filter(([, svc]) => svc !== db);
  if (replicas.length < 2) problems.push(`${file}: expected two replicas or more, found ${replicas.length}`);
  const counts = new Set<string>();
  const shards = new Map<number, string>();
  const hostPorts = new Map<string, string>();
  const hostnames = new Map<string, string>();
  for (const [name, svc] of replicas) {
    const build = svc.build as string | { context?: string } | undefined;
    if ((typeof build === 'string' ? build : build?.context) !== '.') problems.push(`${file}: ${name} must build the Dockerfile here (build: .)`);
    if (!svc.env_file) problems.push(`${file}: ${name} has no env_file`);
    const env = svc.environment;
    if (typeof env !== 'object' || env === null || Array.isArray(env)) {
      problems.push(`${file}: ${name} must set its environment as a mapping`);
      continue;
    }
    const vars = env as Record<string, unknown>;
    const url = String(vars.DATABASE_URL ?? '');
    let host: string | undefined;
    try {
      // Compose fills ${...} in; any value will do to read the host.
      host = new URL(url.replace(/\$\{[^}]*\}/g, 'x')).hostname;
    } catch {
      host = undefined;
    }
    if (!/^postgres(ql)?:\/\//.test(url) || host !== database) problems.push(`${file}: ${name}'s DATABASE_URL must be a postgres:// URL of the ${database ?? 'postgres'} service`);
    const dependsOn = svc.depends_on as Record<string, { condition?: string }> | string[] | undefined;
    const condition = dependsOn && !Array.isArray(dependsOn) && database ? dependsOn[database]?.condition : undefined;
    if (condition !== 'service_healthy') problems.push(`${file}: ${name} must depend on ${database ?? 'postgres'} with condition service_healthy`);
    counts.add(String(vars.DISCORD_SHARD_COUNT ?? ''));
    for (const id of String(vars.DISCORD_SHARD_IDS ?? '').split(',').filter(Boolean)) {
      const shard = Number(id.trim());
      const other = shards.get(shard);
      if (other) problems.push(`${file}: shard ${shard} runs in both ${other} and ${name}`);
      shards.set(shard, name);
    }
    if (!vars.DISCORD_SHARD_IDS) problems.push(`${file}: ${name} sets no DISCORD_SHARD_IDS (two replicas cannot run the same shard)`);
    const hostname = typeof svc.hostname === 'string' ? svc.hostname : undefined;
    if (!hostname) problems.push(`${file}: ${name} has no hostname of its own (it names the replica in delivery claims)`);
    else if (hostnames.has(hostname)) problems.push(`${file}: ${name} and ${hostnames.get(hostname)} share the hostname ${hostname}`);
    else hostnames.set(hostname, name);
    const published = ((svc.ports as string[] | undefined) ?? []).map((p) => String(p).split(':'));
    for (const p of ports) if (!published.some((parts) => Number(parts.at(-1)) === p)) problems.push(`${file}: ${name} publishes no port ${p} (the Dockerfile's EXPOSE)`);
    for (const parts of published) {
      const hostPort = parts.length > 1 ? parts.at(-2)! : '';
      if (hostPort && hostPorts.has(hostPort)) problems.push(`${file}: ${name} and ${hostPorts.get(hostPort)} both publish host port ${hostPort}`);
      hostPorts.set(hostPort, name);
    }
  }
  const [count, ...others] = [...counts];
  if (others.length > 0 || !/^\d+$/.test(count ?? '')) problems.push(`${file}: every replica must set one whole-number DISCORD_SHARD_COUNT, found ${[...counts].map((c) => JSON.stringify(c)).join(', ')}`);
  else {
    const missing = Array.from({ length: Number(count) }, (_, i) => i).filter((i) => !shards.has(i));
    if (missing.length) problems.push(`${file}: no replica runs shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Run by hand: against the local stand-ins of Discord and Slack.

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Set(process.argv.slice(2));
  const { createFakeDiscord } = await import('../test/fakes/fake-discord.js');
  const { createFakeSlack } = await import('../test/fakes/fake-slack.js');
  const [discord, slack] = await Promise.all([createFakeDiscord({ token: 'container-token' }), createFakeSlack({ botToken: 'xoxb-container' })]);
  try {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const problems = [...checkCompose(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), dockerfile), ...checkReplicasCompose(readFileSync(join(ROOT, 'compose.replicas.yaml'), 'utf8'), dockerfile)];
    if (problems.length) throw new Error(problems.join('\n'));
    const report = await checkContainer({
      keep: args.has('--keep'),
      compileNative: args.has('--compile-native'),
      runtimeEnv: {
        DISCORD_TOKEN: 'container-token',
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN: 'xoxb-container',
        SLACK_SIGNING_SECRET: 'container-signing-secret',
        SLACK_API_URL: slack.apiUrl,
      },
    });
    const { stderr: _stderr, ...shown } = report;
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    if (report.exit.code !== 0 || report.devOnlyLeft.length || report.dependenciesMissing.length) process.exitCode = 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await discord.stop();
    await slack.stop();
  }
}
