import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type { JournalLine, PosLine, SimStep } from '../model.js';
import { retailAttributes } from '../otel/retailAttributes.js';
import type { SimTelemetry } from '../otel/simTelemetry.js';
import { journalCsv } from '../vendors/journalFile.js';
import { posBatchCsv } from '../vendors/posFile.js';
import { settlementTsv } from '../vendors/settlementFile.js';
import { shopifyHeaders } from '../vendors/shopifyMessages.js';
import { stripeSignatureHeader } from '../vendors/stripeMessages.js';
import { DeliveryError, sendWithRetry } from './sendWithRetry.js';

export type DeliveryTargets = {
  /** Flowlens base URL (business-event API, webhooks, file uploads). */
  target: string;
  token: string;
  telemetry: SimTelemetry;
  erpUrl: string;
  shopifySecret: string;
  stripeSecret: string;
  /** Drop files into this inbox folder; without it files are uploaded to `POST /v1/files/<kind>`. */
  inbox?: string;
};

/** A step handed to its transport; `copy` > 1 is an at-least-once redelivery of the same message. */
export type Delivery = { step: SimStep; copy: number };

export type DeliveryStats = { messages: number; byTransport: Record<string, number>; pushbacks: number; erpAnswers: Record<string, number> };

const API_BATCH = 1_000;
const CONCURRENCY = 8;

/**
 * Hands steps to the transport each one really travels by: the business-event API, OTLP spans (through the
 * SDK), the ERP's HTTP API, signed Shopify and Stripe webhooks, or files dropped into the inbox.
 */
export function createStepDelivery(targets: DeliveryTargets) {
  const stats: DeliveryStats = { messages: 0, byTransport: {}, pushbacks: 0, erpAnswers: {} };
  const written: string[] = [];
  const count = (transport: string, n = 1) => {
    stats.byTransport[transport] = (stats.byTransport[transport] ?? 0) + n;
    stats.messages += n;
  };
  const onPushback = () => void stats.pushbacks++;
  const url = (path: string) => new URL(path, targets.target).toString();

  async function postEvents(deliveries: readonly Delivery[]): Promise<void> {
    for (let i = 0; i < deliveries.length; i += API_BATCH) {
      const chunk = deliveries.slice(i, i + API_BATCH);
      const response = await sendWithRetry(
        url('/v1/events'),
        { method: 'POST', headers: { authorization: `Bearer ${targets.token}`, 'content-type': 'application/x-ndjson' }, body: chunk.map((d) => JSON.stringify(d.step.event)).join('\n') },
        { what: `POST /v1/events (${chunk.length} events)`, onPushback },
      );
      const answer = (await response.json()) as { rejected?: number; errors?: unknown[] };
      if (answer.rejected) throw new DeliveryError(`POST /v1/events rejected ${answer.rejected} simulated events: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      count('api', chunk.length);
    }
  }

  async function postToErp({ step }: Delivery): Promise<void> {
    if (step.via.kind !== 'erp') return;
    const { posting, expect, parent } = step.via;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': posting.idempotency_key, 'x-simulated-time': String(step.event.occurred_at) };
    const span = targets.telemetry.startClientSpan('middleware', `POST /erp/v1/postings (${posting.document_type})`, step.event, parent, headers);
    const response = await sendWithRetry(new URL('/erp/v1/postings', targets.erpUrl).toString(), { method: 'POST', headers, body: JSON.stringify(posting) }, { what: `ERP posting ${posting.idempotency_key}`, accept: [503] });
    await response.arrayBuffer();
    stats.erpAnswers[response.status] = (stats.erpAnswers[response.status] ?? 0) + 1;
    const unavailable = response.status === 503;
    if (unavailable !== (expect === 'unavailable')) {
      span.end(step.event.occurred_at + 30);
      throw new DeliveryError(`the ERP answered ${response.status} to ${posting.idempotency_key} but the plan expected it ${expect}: the ERP's outage windows and the plan disagree`);
    }
    if (unavailable) {
      // The middleware's record of the failed attempt is this client span: it carries the retail step.
      span.setAttributes(retailAttributes(step.event));
      span.setAttribute('http.response.status_code', 503);
      span.setStatus({ code: SpanStatusCode.ERROR, message: step.event.error_message ?? 'ERP unavailable' });
    }
    span.end(step.event.occurred_at + 30);
    count('erp');
  }

  async function postWebhook({ step }: Delivery): Promise<void> {
    const { via } = step;
    if (via.kind === 'shopify') {
      const headers = shopifyHeaders({ topic: via.topic, webhookId: via.webhookId, body: via.body }, targets.shopifySecret);
      const response = await sendWithRetry(url('/webhooks/shopify'), { method: 'POST', headers, body: via.body }, { what: `Shopify ${via.topic} webhook ${via.webhookId}`, onPushback });
      await response.arrayBuffer();
      count('shopify');
    } else if (via.kind === 'stripe') {
      const headers = { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(via.body, targets.stripeSecret, Math.floor(Date.now() / 1000)) };
      const response = await sendWithRetry(url('/webhooks/stripe'), { method: 'POST', headers, body: via.body }, { what: `Stripe webhook ${step.event.event_id}`, onPushback });
      await response.arrayBuffer();
      count('stripe');
    }
  }

  async function deliverFile(batch: readonly Delivery[]): Promise<void> {
    const first = batch[0]!;
    const via = first.step.via;
    if (via.kind !== 'file') return;
    let text: string;
    if (via.file === 'settlement') text = settlementTsv(via.settlement);
    else if (via.file === 'pos') text = posBatchCsv(batch.map((d) => (d.step.via as { line: PosLine }).line));
    else text = journalCsv(batch.map((d) => (d.step.via as { line: JournalLine }).line));
    const name = `${via.batch}${first.copy > 1 ? `-redelivery-${first.copy}` : ''}.${via.file === 'settlement' ? 'tsv' : 'csv'}`;
    if (targets.inbox) {
      const folder = join(targets.inbox, via.file);
      await mkdir(folder, { recursive: true });
      // Written under a temporary name and renamed, so the inbox never reads half a file.
      await writeFile(join(folder, `${name}.partial`), text);
      await rename(join(folder, `${name}.partial`), join(folder, name));
      written.push(join(via.file, name));
    } else {
      const response = await sendWithRetry(url(`/v1/files/${via.file}`), { method: 'POST', headers: { authorization: `Bearer ${targets.token}`, 'content-type': 'text/plain' }, body: text }, { what: `${via.file} file ${name}`, onPushback });
      const report = (await response.json()) as { rejected?: number; errors?: unknown[] };
      if (report.rejected) throw new DeliveryError(`${via.file} file ${name}: ${report.rejected} lines rejected: ${JSON.stringify(report.errors).slice(0, 500)}`);
    }
    count(`file:${via.file}`);
  }

  return {
    stats,
    /** Deliver one window's steps: each transport in parallel, each bounded in concurrency. */
    async deliver(deliveries: readonly Delivery[]): Promise<void> {
      const api: Delivery[] = [];
      const calls: Delivery[] = [];
      const files = new Map<string, Delivery[]>();
      for (const d of deliveries) {
        const { via } = d.step;
        if (via.kind === 'api') api.push(d);
        else if (via.kind === 'span') {
          targets.telemetry.recordStep(via.service, via.name, d.step.event, via.durationMs, via.parent);
          count('span');
        } else if (via.kind === 'file') {
          const key = `${via.batch}#${d.copy}`;
          const batch = files.get(key) ?? [];
          batch.push(d);
          files.set(key, batch);
        } else calls.push(d);
      }
      await Promise.all([postEvents(api), pool(calls, (d) => (d.step.via.kind === 'erp' ? postToErp(d) : postWebhook(d))), pool([...files.values()], deliverFile)]);
    },
    /** Resolves once every span is exported and every dropped file has been taken by the inbox. */
    async finish(onWait?: (filesLeft: number) => void, patienceMs = 120_000): Promise<void> {
      await targets.telemetry.flush();
      if (targets.telemetry.failedSpans() > 0) throw new DeliveryError(`${targets.telemetry.failedSpans()} spans could not be exported to Flowlens`);
      if (!targets.inbox) return;
      const deadline = Date.now() + patienceMs;
      for (;;) {
        const left = await filesStillInInbox(targets.inbox, written);
        if (left === 0) return;
        if (Date.now() > deadline) throw new DeliveryError(`${left} files are still in the inbox ${targets.inbox} after ${patienceMs / 1000} s: is Flowlens watching it (FLOWLENS_INBOX_DIR)?`);
        onWait?.(left);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
}

async function filesStillInInbox(inbox: string, written: readonly string[]): Promise<number> {
  const present = new Set<string>();
  for (const kind of ['pos', 'journal', 'settlement']) {
    const names = await readdir(join(inbox, kind)).catch(() => [] as string[]);
    for (const name of names) present.add(join(kind, name));
  }
  return written.filter((w) => present.has(w)).length;
}

async function pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
