import { cpus, totalmem } from 'node:os';
import { ingestBench } from './ingestBench.js';

/**
 * `npm run bench [-- --events N --batch N --concurrency N]`: runs the benchmarks and prints a Markdown
 * summary for docs/BENCHMARKS.md. Each figure is reported beside the baseline measured in the same run.
 */
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const options = { events: arg('events', 1_000_000), batch: arg('batch', 5_000), concurrency: arg('concurrency', 8) };
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const r = await ingestBench(options, log);
const lines = [
  `## Ingest: POST /v1/events (NDJSON) vs client.insert vs engine file load`,
  ``,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`,
  `Command: \`npm run bench -- --events ${r.events} --batch ${r.batch} --concurrency ${r.concurrency}\``,
  ``,
  `| path | events | seconds | events/s | vs client.insert | vs engine alone |`,
  `|---|---:|---:|---:|---:|---:|`,
  `| POST /v1/events (server process) | ${fmt(r.events)} | ${r.api.seconds.toFixed(1)} | ${fmt(r.api.eventsPerSecond)} | ${(r.api.eventsPerSecond / r.clientInsert.eventsPerSecond).toFixed(2)} | ${(r.api.eventsPerSecond / r.engineFile.eventsPerSecond).toFixed(2)} |`,
  `| client.insert JSONEachRow, batches of ${r.batch} | ${fmt(r.events)} | ${r.clientInsert.seconds.toFixed(1)} | ${fmt(r.clientInsert.eventsPerSecond)} | 1.00 | ${(r.clientInsert.eventsPerSecond / r.engineFile.eventsPerSecond).toFixed(2)} |`,
  `| engine alone: INSERT … SELECT FROM file(JSONEachRow) | ${fmt(r.events)} | ${r.engineFile.seconds.toFixed(1)} | ${fmt(r.engineFile.eventsPerSecond)} | ${(r.engineFile.eventsPerSecond / r.clientInsert.eventsPerSecond).toFixed(2)} | 1.00 |`,
  ``,
  `Server peak RSS during the API run: ${r.api.serverPeakRssMiB.toFixed(0)} MiB.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
