import type { AlertReceiver } from '../../../catalog/alertSchema.js';
import type { AlertNotice, OutgoingRequest } from './notice.js';
import { pagerDutyRequest } from './pagerduty.js';
import { slackRequest } from './slack.js';
import { webhookRequest } from './webhook.js';

/** The request a receiver gets for a notice, by the receiver's type. */
export function requestFor(receiver: AlertReceiver, notice: AlertNotice): OutgoingRequest {
  if (receiver.type === 'pagerduty') return pagerDutyRequest(receiver, notice);
  if (receiver.type === 'slack') return slackRequest(receiver, notice);
  return webhookRequest(receiver, notice);
}

/**
 * One attempt's outcome: `delivered` (2xx — PagerDuty answers 202, Slack 200 `ok`); `retrying` (429, 5xx, no
 * answer; the next attempt follows); `failed` (the same, attempts used up: tried again at the next evaluation);
 * `rejected` (any other answer: the receiver refuses it, and sending it again would not help).
 */
export type AttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'rejected';
export type Attempt = { attempt: number; outcome: AttemptOutcome; response: string; at: number; ms: number };
export type Delivery = { outcome: Exclude<AttemptOutcome, 'retrying'>; attempts: Attempt[] };

/** Sends one request, retrying as the receiver allows; numbers its attempts from `firstAttempt`. */
export type Deliver = (request: OutgoingRequest, firstAttempt: number) => Promise<Delivery>;

export type SenderOptions = {
  /** Per attempt, until the answer's headers and body are in. */
  timeoutMs?: number;
  /** Attempts per delivery, the first included. */
  attempts?: number;
  /** Back-off before the second attempt, doubling for each further one (plus up to 20 % jitter). */
  backoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the delivery fails and the next evaluation tries again. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
};

/** What is kept of an answer in the record. */
const RESPONSE_MAX = 500;

/**
 * The one sender: `fetch` with a timeout per attempt, retried with exponential back-off on 429 (honouring
 * `Retry-After`), 5xx and network errors, a bounded number of times. It never decides whether a notification
 * may be sent — the claim did — only how to get it there.
 */
export function createSender(options: SenderOptions = {}): Deliver {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;

  return async (request, firstAttempt) => {
    const record: Attempt[] = [];
    for (let i = 0; i < attempts; i++) {
      const started = clock();
      const last = i === attempts - 1;
      let wait = backoffMs * 2 ** i * (1 + Math.random() * 0.2);
      let outcome: AttemptOutcome;
      let response: string;
      try {
        const answer = await doFetch(request.url, {
          method: 'POST',
          headers: { 'user-agent': 'flowlens-alerts', ...request.headers },
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await answer.text()).slice(0, RESPONSE_MAX);
        response = `${answer.status} ${body}`.trim();
        if (answer.status >= 200 && answer.status < 300) outcome = 'delivered';
        else if (answer.status === 429 || answer.status >= 500) {
          const after = retryAfterMs(answer.headers.get('retry-after'), clock());
          if (after !== null) wait = after;
          outcome = last || wait > maxRetryAfterMs ? 'failed' : 'retrying';
        } else outcome = 'rejected';
      } catch (error) {
        const err = error as Error;
        response = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`;
        outcome = last ? 'failed' : 'retrying';
      }
      record.push({ attempt: firstAttempt + i, outcome, response, at: started, ms: clock() - started });
      if (outcome !== 'retrying') return { outcome, attempts: record };
      await sleep(wait);
    }
    return { outcome: 'failed', attempts: record };
  };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
