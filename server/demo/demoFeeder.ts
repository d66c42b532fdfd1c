import type { Logger } from '../logger.js';
import { demoTransaction, type ScheduledEvent } from './demoTransactions.js';

export type DemoFeederOptions = { baseUrl: string; token: string; transactionsPerSecond: number; logger: Logger };

/**
 * Posts demo transactions to the running server through the real `POST /v1/events` API, as any client would,
 * so the demo exercises the same path as production traffic.
 */
export function startDemoFeeder(options: DemoFeederOptions): { stop(): void } {
  const queue: ScheduledEvent[] = [];
  let seq = 0;
  let failures = 0;
  let inFlight = false;
  const tickMs = 250;
  const timer = setInterval(() => {
    const now = Date.now();
    const starts = options.transactionsPerSecond * (tickMs / 1000);
    for (let i = 0; i < Math.floor(starts) + (Math.random() < starts % 1 ? 1 : 0); i++) queue.push(...demoTransaction(Math.random, now, seq++));
    if (inFlight) return;
    queue.sort((a, b) => a.dueAt - b.dueAt);
    const dueCount = queue.findIndex((s) => s.dueAt > now);
    const due = queue.splice(0, dueCount === -1 ? queue.length : dueCount);
    if (due.length === 0) return;
    inFlight = true;
    fetch(new URL('/v1/events', options.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/x-ndjson' },
      body: due.map((s) => JSON.stringify(s.event)).join('\n'),
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
        failures = 0;
      })
      .catch((err: unknown) => {
        queue.push(...due);
        if (failures++ % 20 === 0) options.logger.warn({ err }, 'demo traffic could not be posted; retrying');
      })
      .finally(() => {
        inFlight = false;
      });
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
