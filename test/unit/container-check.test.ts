/**
 * The container check's reading of the Dockerfile, .dockerignore and compose.yaml: what it refuses
 * (so an instruction it cannot follow fails instead of being skipped) and what the shipped files
 * say. The whole build-and-start run is test/e2e/container.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCompose, checkReplicasCompose, createIgnore, parseDockerfile, type Instruction } from '../../scripts/container-check.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('the shipped Dockerfile', () => {
  const ins = parseDockerfile(dockerfile);
  const last = ins.slice(ins.findLastIndex((i) => i.kind === 'FROM'));
  const of = <K extends Instruction['kind']>(list: Instruction[], kind: K) => list.filter((i): i is Extract<Instruction, { kind: K }> => i.kind === kind);

  it('builds in one stage and runs in another, as a user that is not root', () => {
    expect(of(ins, 'FROM').map((f) => f.name)).toEqual(['build', 'runtime']);
    expect(of(last, 'USER').at(-1)?.user).toBe('node');
    expect(of(ins, 'RUN').map((r) => r.command).join('\n')).toMatch(/npm ci[\s\S]*npm run build[\s\S]*npm prune --omit=dev/);
  });

  it('keeps the store on the volume and probes /healthz on the port it exposes', () => {
    const env = Object.fromEntries(of(last, 'ENV').flatMap((e) => e.vars));
    const volume = of(last, 'VOLUME')[0]!.paths[0]!;
    expect(env.DATABASE_PATH!.startsWith(`${volume}/`)).toBe(true);
    expect(of(last, 'EXPOSE')[0]!.ports).toEqual([Number(env.PORT)]);
    expect(of(last, 'HEALTHCHECK')[0]!.argv.join(' ')).toContain('/healthz');
    expect(of(last, 'CMD')[0]!.argv).toEqual(['node', '--max-semi-space-size=2', 'bin/briefbot.js', 'start']);
  });

  it('matches compose.yaml (build, env_file, volume, port)', () => {
    expect(checkCompose(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), dockerfile)).toEqual([]);
  });

  it('matches compose.replicas.yaml (PostgreSQL, replicas with their own shards, ports and hostnames)', () => {
    expect(checkReplicasCompose(readFileSync(join(ROOT, 'compose.replicas.yaml'), 'utf8'), dockerfile)).toEqual([]);
  });
});

describe('parseDockerfile refuses what the check does not implement, naming the line', () => {
  const base = 'FROM node:20-slim AS a\nWORKDIR /app\n';
  it.each([
    ['ADD x /x', /Dockerfile:3: the container check does not understand ADD/],
    ['ARG VERSION=1', /Dockerfile:3: the container check does not understand ARG/],
    ['ENTRYPOINT ["node"]', /does not understand ENTRYPOINT/],
    ['COPY --link src ./src', /Dockerfile:3: cannot read the flag/],
    ['COPY --chmod=644 a ./', /does not implement COPY --chmod/],
    ['COPY src/*.ts ./', /wildcard/],
    ['RUN mkdir -p /data', /absolute path/],
    ['RUN echo hi > /etc/motd', /absolute path/],
    ['RUN ["npm", "ci"]', /exec form is not implemented/],
    ['CMD node bin/briefbot.js start', /exec form/],
    ['ENV A $HOME', /variable/],
    ['ENV A 1', /KEY=value/],
    ['HEALTHCHECK NONE', /must be followed by CMD/],
    ['HEALTHCHECK --interval=soon CMD ["true"]', /duration/],
  ])('%s', (line, error) => {
    expect(() => parseDockerfile(`${base}${line}\n`)).toThrow(error);
  });

  it('a file that does not start with FROM', () => {
    expect(() => parseDockerfile('WORKDIR /app\n')).toThrow(/starts with FROM/);
  });
});

describe('parseDockerfile reads', () => {
  it('continuation lines, comments inside them, quoted ENV values and HEALTHCHECK options', () => {
    const ins = parseDockerfile(
      ['# syntax=docker/dockerfile:1', 'FROM node:20 AS build', 'RUN npm ci \\', '  # a comment', '  && npm test', 'ENV A=1 B="two words"', 'HEALTHCHECK --interval=5s --timeout=2s --start-period=1m --retries=4 CMD ["node", "-e", "1"]'].join('\n'),
    );
    expect(ins[1]).toEqual({ kind: 'RUN', line: 3, command: 'npm ci && npm test' });
    expect(ins[2]).toEqual({ kind: 'ENV', line: 6, vars: [['A', '1'], ['B', 'two words']] });
    expect(ins[3]).toMatchObject({ kind: 'HEALTHCHECK', intervalMs: 5000, timeoutMs: 2000, startPeriodMs: 60_000, retries: 4, argv: ['node', '-e', '1'] });
  });
});

describe('createIgnore (.dockerignore)', () => {
  const ignored = createIgnore('# comment\nnode_modules\n*.log\n**/*.db\ndocs\n!docs/keep.md\n/dist/\n');
  it.each([
    ['node_modules', true],
    ['node_modules/zod/package.json', true],
    ['src/node_modules', false],
    ['debug.log', true],
    ['logs/debug.log', false],
    ['data/briefbot.db', true],
    ['briefbot.db', true],
    ['docs/setup.md', true],
    ['docs/keep.md', false],
    ['dist/cli/main.js', true],
    ['src/cli/main.ts', false],
  ])('%s excluded: %s', (path, excluded) => {
    expect(ignored(path)).toBe(excluded);
  });

  it('the shipped .dockerignore keeps secrets and local state out of the build context', () => {
    const shipped = createIgnore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    for (const path of ['.env', 'node_modules/x/index.js', 'dist/cli/main.js', 'data/briefbot.db', '.git/HEAD']) expect(shipped(path), path).toBe(true);
    for (const path of ['src/cli/main.ts', 'package.json', 'package-lock.json', 'config/briefbot.yaml', 'bin/briefbot.js', 'briefings']) expect(shipped(path), path).toBe(false);
  });
});

describe('checkCompose', () => {
  it('names a volume or port that does not match the Dockerfile', () => {
    const compose = 'services:\n  bot:\n    build: .\n    env_file: .env\n    ports: ["8080:8080"]\n    volumes: ["x:/var/lib/briefbot"]\n';
    expect(checkCompose(compose, dockerfile)).toEqual(['compose.yaml: bot mounts no volume at /data (the Dockerfile\'s VOLUME)', 'compose.yaml: bot publishes no port 3000 (the Dockerfile\'s EXPOSE)']);
  });
});

describe('checkReplicasCompose', () => {
  const replica = (name: string, over: string) =>
    `  ${name}:\n    build: .\n    env_file: .env\n    depends_on:\n      db:\n        condition: service_healthy\n${over}`;
  const db = '  db:\n    image: postgres:16\n    healthcheck: { test: ["CMD", "pg_isready"] }\n    volumes: ["pg:/var/lib/postgresql/data"]\n';

  it('names a shared shard, a missing shard, a shared host port and hostname, and a URL of another host', () => {
    const compose =
      'services:\n' +
      db +
      replica('a', '    hostname: same\n    ports: ["3000:3000"]\n    environment:\n      DATABASE_URL: postgres://u:${PW}@db:5432/briefbot\n      DISCORD_SHARD_COUNT: "3"\n      DISCORD_SHARD_IDS: "0"\n') +
      replica('b', '    hostname: same\n    ports: ["3000:3000"]\n    environment:\n      DATABASE_URL: postgres://u:p@elsewhere:5432/briefbot\n      DISCORD_SHARD_COUNT: "3"\n      DISCORD_SHARD_IDS: "0"\n');
    expect(checkReplicasCompose(compose, dockerfile)).toEqual([
      "compose.replicas.yaml: b's DATABASE_URL must be a postgres:// URL of the db service",
      'compose.replicas.yaml: shard 0 runs in both a and b',
      'compose.replicas.yaml: b and a share the hostname same',
      'compose.replicas.yaml: b and a both publish host port 3000',
      'compose.replicas.yaml: no replica runs shards 1, 2 of 3',
    ]);
  });
});
