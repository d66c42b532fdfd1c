/** Deterministic, realistic canonical events for benchmarks: an order-to-cash mix with keys, amounts and payloads. */
export function benchEvent(i: number, baseMs: number): Record<string, unknown> {
  const flows = ['inventory_sync', 'order_to_cash', 'return_to_refund', 'settlement_to_ledger'] as const;
  const steps = ['pos.sale.captured', 'erp.inventory.posted', 'channel.published', 'shop.order.created', 'payment.authorized'] as const;
  const order = `SO-${Math.floor(i / 4)}`;
  return {
    event_id: `bench-${i}`,
    correlation_id: `corr-${Math.floor(i / 4)}`,
    flow: flows[i % flows.length],
    step: steps[i % steps.length],
    system: i % 2 === 0 ? 'middleware' : 'erp',
    target_system: 'erp',
    channel: i % 3 === 0 ? 'amazon' : 'shopify',
    location_id: `store-${String(i % 300).padStart(3, '0')}`,
    sku: `SKU-${10000 + (i % 50000)}`,
    quantity: 1 + (i % 5),
    amount: ((i % 20000) / 100 + 1).toFixed(2),
    currency: 'EUR',
    status: i % 50 === 0 ? 'failed' : 'ok',
    ...(i % 50 === 0 ? { error_code: 'HTTP_503', error_class: 'technical', error_message: 'ERP answered 503' } : {}),
    occurred_at: baseMs + i,
    keys: { order_id: order, payment_id: `pi_${Math.floor(i / 4)}` },
    payload: { line: i, note: 'benchmark' },
  };
}
