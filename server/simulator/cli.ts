import { writeFile } from 'node:fs/promises';
import { loadConfigOrExit } from '../boot.js';
import { startEstateSimulation } from './estateSimulation.js';
import { SCENARIO_DESCRIPTIONS, scenarioIncidents } from './scenarios.js';
import { parseSimulateArgs, SIMULATE_USAGE, type SimulateOptions } from './simulateArgs.js';

/**
 * `npm run simulate -- --scenario <name> --rate <events/s> --seed <n> --duration <s> [--truth <file>]`.
 * Exit codes: 0 done, 1 a delivery failed, 64 bad arguments (EX_USAGE), 69 Flowlens not reachable (EX_UNAVAILABLE).
 */
async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  let options: SimulateOptions;
  try {
    options = parseSimulateArgs(process.argv.slice(2), loadConfigOrExit(), Date.now());
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${SIMULATE_USAGE}`);
    return 64;
  }
  const incidents = scenarioIncidents(options.scenario, options.start, options.durationMs);
  const say = (line: string) => options.quiet || process.stdout.write(`${line}\n`);
  const unreachable = await flowlensUnreachable(options.target);
  if (unreachable) {
    process.stderr.write(`Flowlens is not answering at ${options.target} (${unreachable}): start it with npm start, or pass --target.\n`);
    return 69;
  }
  const run = await startEstateSimulation({ ...options, incidentsAt: () => incidents, keepSteps: options.truthFile !== undefined, onProgress: progress() });
  say(`Simulating "${options.scenario}": ${SCENARIO_DESCRIPTIONS[options.scenario]}.`);
  say(`  ${options.rate} events/s for ${options.durationMs / 1000} s (${options.pace} pace, seed ${options.seed}) from ${new Date(options.start).toISOString()}`);
  say(`  Flowlens ${options.target} · OTLP ${options.otlp} · files ${options.inbox ? `into ${options.inbox}` : 'uploaded to /v1/files'} · simulated ERP ${run.erpUrl}`);
  for (const i of incidents) say(`  incident ${i.kind}: ${new Date(i.from).toISOString()} → ${new Date(i.to).toISOString()}`);
  const stop = () => run.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await run.done;
    say(`Done: ${result.events.toLocaleString('en')} events in ${result.stats.messages.toLocaleString('en')} messages (${Object.entries(result.stats.byTransport).map(([k, v]) => `${k} ${v}`).join(', ')}); pushed back ${result.stats.pushbacks} times.`);
    if (result.truth && options.truthFile) {
      await writeFile(options.truthFile, `${JSON.stringify(result.truth, null, 1)}\n`);
      const t = result.truth;
      say(`Ground truth in ${options.truthFile}: ${t.openExceptions.length} open exceptions, ${t.refunds.missingLedger.length} refunds missing from the ledger, ${t.settlements.mismatched.length} mismatched settlements.`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`Simulation stopped: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await run.close();
  }

  function progress() {
    let last = 0;
    return (p: { simulatedMs: number; totalMs?: number; events: number; pushbacks: number }) => {
      if (Date.now() - last < 5_000) return;
      last = Date.now();
      const pct = p.totalMs ? ` (${Math.round((p.simulatedMs / p.totalMs) * 100)} %)` : '';
      say(`  ${Math.round(p.simulatedMs / 1000)} s simulated${pct}: ${p.events.toLocaleString('en')} events sent${p.pushbacks ? `, pushed back ${p.pushbacks} times` : ''}`);
    };
  }
}

/** Fail in a second with a clear message, rather than after minutes of retries, when nothing listens at the target. */
async function flowlensUnreachable(target: string): Promise<string | undefined> {
  try {
    const response = await fetch(new URL('/healthz', target), { signal: AbortSignal.timeout(3_000) });
    await response.arrayBuffer();
    return response.ok ? undefined : `GET /healthz answered ${response.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (err as Error).message;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Simulation could not start: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
