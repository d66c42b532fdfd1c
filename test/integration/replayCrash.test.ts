import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayJobDetail } from '../../server/contracts/replayApi.js';
import { createRng } from '../../server/simulator/random.js';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { exceptionsBetween } from '../../server/store/queries/exceptions.js';
import { schemaFor } from '../../server/store/schema.js';
import { param, sql } from '../../server/store/sql.js';
import { deadLetteredPosting, startErpTarget, type ErpTarget } from '../support/replayTarget.js';

/**
 * The replay crash matrix (issue 7): a child process replays ERP postings to a real HTTP target on 127.0.0.1
 * and is killed with SIGKILL at one point of one item — after `sending` is on disk and before the request
 * (before_send); with the request at the target and no answer yet (after_send: the target holds it, then lets
 * it apply or drops it); after the target's 2xx before `applied` is written (after_response); after `applied`
 * before the replay step is ingested (before_recording); after the step is ingested before it is noted
 * (after_recording). A new process recovers and finishes the job. Every document must be applied exactly once
 * at the target (one request passed on to the ERP per key), its replay step stored exactly once, and its
 * exception closed. REPLAY_CRASH_RUNS (default 12) runs, each drawn from REPLAY_CRASH_SEED (printed).
 */

const RUNS = Number(process.env.REPLAY_CRASH_RUNS ?? 12);
const SEED = process.env.REPLAY_CRASH_SEED ?? String(Date.now());
const POINTS = ['before_send', 'after_send', 'after_response', 'before_recording', 'after_recording'] as const;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-replay-crash-'));
let target: ErpTarget;
let child: Child | undefined;

type Message = { kind: string; [field: string]: unknown };
type Child = { process: ChildProcess; recovery: Record<string, number>; next(kind: string): Promise<Message>; send(message: Record<string, unknown>): void; kill(): Promise<void> };

/** Start the replaying process; it answers `ready` once recovery ran and its worker started. */
async function startChild(pause?: { point: string; eventId: string }): Promise<Child> {
  const proc = fork(path.join(repoRoot, 'test/support/replayChild.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      REPLAY_CHILD_DATA_DIR: dataDir,
      REPLAY_CHILD_TARGET: JSON.stringify(target.target),
      ...(pause ? { REPLAY_CHILD_PAUSE_AT: pause.point, REPLAY_CHILD_PAUSE_EVENT: pause.eventId } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const inbox: Message[] = [];
  const waiting: { kind: string; resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  const deliver = () => {
    for (const w of [...waiting]) {
      const error = inbox.findIndex((m) => m.kind === 'error');
      if (error !== -1) {
        waiting.splice(waiting.indexOf(w), 1);
        w.reject(new Error(`replay child failed: ${String(inbox[error]!.message)}`));
        continue;
      }
      const at = inbox.findIndex((m) => m.kind === w.kind);
      if (at === -1) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(inbox.splice(at, 1)[0]!);
    }
  };
  proc.on('message', (m: Message) => {
    inbox.push(m);
    deliver();
  });
  proc.on('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`replay child exited (${code ?? signal}) while a test waited for "${w.kind}"`));
  });
  const next = (kind: string) =>
    new Promise<Message>((resolve, reject) => {
      waiting.push({ kind, resolve, reject });
      deliver();
    });
  const started: Child = {
    process: proc,
    recovery: {},
    next,
    send: (message) => proc.send(message),
    kill: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
    },
  };
  started.recovery = (await next('ready')).recovery as Record<string, number>;
  return started;
}

async function exitChild(c: Child) {
  const exited = new Promise((resolve) => c.process.once('exit', resolve));
  c.send({ kind: 'exit' });
  await exited;
}

beforeAll(async () => {
  target = await startErpTarget({ timeoutMs: 60_000 });
});

afterAll(async () => {
  await child?.kill();
  await target?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const keyOf = (e: Record<string, unknown>) => String((e.payload as { idempotency_key: string }).idempotency_key);

describe('replay crash matrix', () => {
  it(`SIGKILL at each point of a replay: every document applied exactly once, its step recorded once, its exception closed (${RUNS} runs, seed ${SEED})`, { timeout: 60 * 60_000 }, async () => {
    console.log(`replay crash matrix: REPLAY_CRASH_SEED=${SEED} REPLAY_CRASH_RUNS=${RUNS}`);
    const all: Record<string, unknown>[] = [];
    const base = Date.now() - 3 * 86_400_000;
    for (let run = 0; run < RUNS; run++) {
      const rng = createRng(`${SEED}:${run}`);
      const point = run < POINTS.length ? POINTS[run]! : rng.pick(POINTS);
      const at = base + run * 3_600_000;
      const events = Array.from({ length: rng.int(2, 4) }, (_, i) => deadLetteredPosting(`crash-${SEED}-${run}-${i}`, at + i * 1_000));
      const victim = events[rng.int(0, events.length - 1)]!;
      const release = rng.chance(0.5) ? 'apply' : 'discard';
      const label = `run ${run}: ${point}${point === 'after_send' ? ` (${release})` : ''} at item ${events.indexOf(victim) + 1} of ${events.length}`;
      all.push(...events);

      child = await startChild(point === 'after_send' ? undefined : { point, eventId: String(victim.event_id) });
      child.send({ kind: 'seed', events });
      await child.next('seeded');
      const held = point === 'after_send' ? target.holdNext(keyOf(victim)) : undefined;
      child.send({ kind: 'create', selection: { kind: 'filter', from: at - 60_000, to: at + 60_000, flow: 'inventory_sync' } });
      const job = (await child.next('created')).job as { id: string };
      if (held) await held;
      else await child.next('paused');
      await child.kill();
      if (point === 'after_send') await target.releaseHeld(release);

      child = await startChild();
      // What the new process found: a send that may have happened is settled by the lookup; a result is written
      // back. Found at start when the killed process's lease on the job had expired by then, else when the new one
      // took the job over (a start leaves a job whose lease is live to its holder) — once, either way.
      const settled = point === 'before_send' || (point === 'after_send' && release === 'discard') ? 'settledNotApplied' : point === 'before_recording' || point === 'after_recording' ? 'recorded' : 'settledApplied';
      const takeover = (await child.next('taken-over')) as unknown as { jobId: string; report: Record<string, number> };
      expect(takeover.jobId, label).toBe(job.id);
      const found = Object.fromEntries(Object.entries(child.recovery).map(([k, n]) => [k, n + (takeover.report[k] ?? 0)]));
      expect(found, label).toEqual({ settledApplied: 0, settledNotApplied: 0, unknown: 0, released: 0, recorded: 0, [settled]: 1 });
      child.send({ kind: 'await', jobId: job.id });
      const done = (await child.next('done')).job as ReplayJobDetail;
      await exitChild(child);
      child = undefined;

      expect(done.state, label).toBe('done');
      for (const event of events) {
        const key = keyOf(event);
        expect(target.forwarded(key), `${label}: ${key} passed on to the ERP`).toBe(1);
        expect(target.erp.isApplied(key), `${label}: ${key} applied`).toBe(true);
        expect(target.posts(key), `${label}: ${key} requests`).toBeLessThanOrEqual(point === 'after_send' && release === 'discard' && event === victim ? 2 : 1);
        const item = done.items.find((i) => i.event_id === event.event_id);
        expect(['applied', 'settled_applied'], `${label}: ${key} outcome`).toContain(item?.state);
        expect(item?.recorded, `${label}: ${key} recorded`).toBe(true);
      }
    }
    expect(target.erp.applied()).toBe(all.length);

    // Checked from the store itself, by this process, once the replaying ones are gone.
    const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    try {
      const schema = schemaFor('flowlens');
      const ids = all.map((e) => `replay:erp:${String(e.event_id)}`);
      const steps = await queryRows<{ event_id: string; copies: string; ok: string }>(
        store.query,
        sql`SELECT event_id, count() AS copies, countIf(status = 'ok') AS ok FROM ${schema.table('events')} WHERE event_id IN ${param.arrayString(ids)} GROUP BY event_id`,
      );
      expect(steps.map((s) => s.event_id).sort()).toEqual([...ids].sort());
      for (const s of steps) expect({ id: s.event_id, copies: Number(s.copies), ok: Number(s.ok) }).toEqual({ id: s.event_id, copies: 1, ok: 1 });
      const failures = await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('events')} WHERE startsWith(event_id, 'replay:') AND status != 'ok'`);
      expect(Number(failures[0]!.n)).toBe(0);
      const exceptions = await exceptionsBetween(store.query, schema, base - 60_000, Date.now() + 60_000, 10_000);
      const ours = exceptions.filter((e) => e.correlation_id.startsWith(`crash-${SEED}-`));
      expect(ours).toHaveLength(all.length);
      expect(ours.filter((e) => e.recovered_at === 0)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
