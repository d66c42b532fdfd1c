/**
 * One colour per flow, the same on every page and after every push. Mid-tone hues that read on both the light
 * and the dark background; the legend always names the flow too, so colour is never the only cue.
 */
const KNOWN_FLOW_COLORS: Record<string, string> = {
  order_to_cash: '#3b82f6',
  inventory_sync: '#14b8a6',
  return_to_refund: '#f59e0b',
  settlement_to_ledger: '#a855f7',
  transfer: '#ec4899',
};

const EXTRA_COLORS = ['#84cc16', '#ef4444', '#06b6d4', '#f97316', '#6366f1', '#22c55e', '#eab308', '#d946ef'];

export function flowColor(flow: string): string {
  return KNOWN_FLOW_COLORS[flow] ?? EXTRA_COLORS[hash(flow) % EXTRA_COLORS.length] ?? '#888888';
}

/** FNV-1a: a custom flow keeps its colour across reloads and machines. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
