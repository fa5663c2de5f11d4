import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Outcome } from '../commands/run.js';
import type { PlatformName } from '../platforms/names.js';

/**
 * What operators watch: commands by name and outcome, how long they took from receipt to the
 * reply being accepted by the platform, replies that could not be delivered, and whether each
 * platform is connected. One registry per process (no prom-client global), so tests can make
 * as many as they like.
 */

/** What a button press or a command ended as; `usage` etc. come from the command layer. */
export type CommandOutcome = Outcome;

export interface CommandObservation {
  platform: PlatformName;
  /** The command name (`brief`), or `action:<prefix>` for a button, `autocomplete:<command>` for suggestions. */
  command: string;
  outcome: CommandOutcome;
  /** From receipt to the platform accepting the reply. */
  seconds: number;
}

export interface Metrics {
  readonly registry: Registry;
  recordCommand(observation: CommandObservation): void;
  /** A reply that was computed but could not be delivered (after the client's own retries). */
  recordDeliveryFailure(platform: PlatformName, reason: string): void;
  setPlatformUp(platform: PlatformName, up: boolean): void;
  /** Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Latency buckets around the 3-second windows both platforms give a first answer. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'briefbot_' });
  const commands = new Counter({
    name: 'briefbot_commands_total',
    help: 'Commands, button presses and autocomplete requests handled, by platform, command and outcome.',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'briefbot_command_duration_seconds',
    help: 'From receiving a command to the platform accepting its reply.',
    labelNames: ['platform', 'command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'briefbot_reply_failures_total',
    help: 'Replies that could not be delivered to the platform after retries.',
    labelNames: ['platform', 'reason'] as const,
    registers: [registry],
  });
  const up = new Gauge({
    name: 'briefbot_platform_up',
    help: '1 when the platform adapter is connected and accepting commands.',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  return {
    registry,
    recordCommand({ platform, command, outcome, seconds }) {
      commands.inc({ platform, command, outcome });
      latency.observe({ platform, command }, seconds);
    },
    recordDeliveryFailure(platform, reason) {
      failures.inc({ platform, reason });
    },
    setPlatformUp(platform, isUp) {
      up.set({ platform }, isUp ? 1 : 0);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
