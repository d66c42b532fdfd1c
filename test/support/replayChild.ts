import { REPLAY_PAUSE_POINTS, type ReplayPausePoint } from '../../server/services/replay/replayEngine.js';
import { createHttpDelivery } from '../../server/services/replay/httpDelivery.js';
import type { ReplayTarget } from '../../server/services/replay/replayPorts.js';
import { createReplayService } from '../../server/services/replay/replayService.js';
import type { ReplaySelection } from '../../server/contracts/replayApi.js';
import { openReplayStore, silentLogger } from './replayHarness.js';

/**
 * The replaying process of the crash tests (test/integration/replayCrash.test.ts), run as
 * `node --import tsx test/support/replayChild.ts` with an IPC channel: the store and ingest pipeline as the
 * server composes them, the real HTTP delivery and the replay service, started (recovery first) at once.
 * With REPLAY_CHILD_PAUSE_AT and REPLAY_CHILD_PAUSE_EVENT set, the engine waits forever at that point for that
 * event (the test-only `crashTestPause` hook) after telling the parent, which then kills it with SIGKILL.
 *
 * Parent → child: {kind:'seed', events} | {kind:'create', selection} | {kind:'await', jobId} | {kind:'exit'}
 * Child → parent: {kind:'ready', recovery} | {kind:'seeded'} | {kind:'created', job} | {kind:'done', job} |
 *                 {kind:'paused', point, eventId} | {kind:'taken-over', jobId, report} | {kind:'error', message}
 * (`taken-over`: the job its killed predecessor held, resumed once that lease expired, with what was settled.)
 */

type Message = { kind: 'seed'; events: Record<string, unknown>[] } | { kind: 'create'; selection: ReplaySelection } | { kind: 'await'; jobId: string } | { kind: 'exit' };

const env = process.env;
const send = (message: Record<string, unknown>) => process.send?.(message);
const pauseAt = env.REPLAY_CHILD_PAUSE_AT as ReplayPausePoint | undefined;
if (pauseAt !== undefined && !(REPLAY_PAUSE_POINTS as readonly string[]).includes(pauseAt)) throw new Error(`REPLAY_CHILD_PAUSE_AT: not a pause point: ${pauseAt}`);
const pauseEvent = env.REPLAY_CHILD_PAUSE_EVENT;
const target = JSON.parse(env.REPLAY_CHILD_TARGET ?? '') as ReplayTarget;

const rs = await openReplayStore(env.REPLAY_CHILD_DATA_DIR ?? '');
const service = createReplayService({
  client: rs.store.query,
  schema: rs.schema,
  delivery: createHttpDelivery(),
  targets: [target],
  fourEyesFlows: [],
  ingest: rs.ingest,
  logger: silentLogger,
  // Short leases: a restarted child resumes the job its killed predecessor held within a few seconds.
  worker: { lookupDelaysMs: [50, 200], leaseMs: 1_500 },
  onTakeover: (jobId, report) => send({ kind: 'taken-over', jobId, report }),
  crashTestPause: async (point, ref) => {
    if (point !== pauseAt || ref.eventId !== pauseEvent) return;
    send({ kind: 'paused', point, eventId: ref.eventId });
    await new Promise(() => {}); // held here until the parent kills this process
  },
});
const recovery = await service.start();
send({ kind: 'ready', recovery });

async function handle(message: Message): Promise<void> {
  if (message.kind === 'seed') {
    const outcome = await rs.ingest(message.events);
    if (outcome.kind !== 'stored') throw new Error(`seeding failed: ${JSON.stringify(outcome)}`);
    await rs.flush();
    send({ kind: 'seeded' });
  } else if (message.kind === 'create') {
    send({ kind: 'created', job: await service.create(message.selection, 'crash test', 'crash-test') });
  } else if (message.kind === 'await') {
    for (;;) {
      const job = await service.get(message.jobId, { limit: 1000, offset: 0 });
      if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') {
        await rs.flush();
        send({ kind: 'done', job });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } else {
    await service.stop();
    await rs.close();
    process.exit(0);
  }
}

process.on('message', (message: Message) => {
  handle(message).catch((err: unknown) => send({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
