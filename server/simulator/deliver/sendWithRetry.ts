/** A delivery Flowlens (or the ERP) refused for a reason a retry cannot fix: a bug in the simulator or a misconfiguration. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type SendOptions = {
  /** What is being sent, for error messages: "POST /v1/events (412 events)". */
  what: string;
  /** Give up retrying after this long (ms). */
  patienceMs?: number;
  /** Statuses that are an answer, not a failure (e.g. 503 from the ERP during an outage). */
  accept?: readonly number[];
  onPushback?: (status: number, waitMs: number) => void;
};

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Send as a well-behaved client does: 429 and 5xx are retried after `Retry-After` (or a short back-off),
 * connection errors likewise, until `patienceMs` runs out; any other non-2xx is a `DeliveryError` carrying
 * the server's own message, since it names the field that was wrong.
 */
export async function sendWithRetry(url: string, init: RequestInit, options: SendOptions): Promise<Response> {
  const deadline = Date.now() + (options.patienceMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetch(url, init);
    } catch (err) {
      failure = err;
    }
    if (response && (response.ok || options.accept?.includes(response.status))) return response;
    if (response && !RETRYABLE.has(response.status)) {
      throw new DeliveryError(`${options.what} was refused: ${response.status} ${(await response.text()).slice(0, 500)}`, response.status);
    }
    const retryAfter = Number(response?.headers.get('retry-after'));
    const waitMs = Math.min(5_000, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 100 * 2 ** Math.min(attempt, 5));
    if (response) {
      options.onPushback?.(response.status, waitMs);
      await response.arrayBuffer();
    }
    if (Date.now() + waitMs > deadline) {
      const reason = response ? `${response.status} ${response.statusText}` : (failure as Error).message;
      throw new DeliveryError(`${options.what} failed after ${attempt} attempts: ${reason}`, response?.status);
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
