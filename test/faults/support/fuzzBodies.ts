import { gzipSync } from 'node:zlib';
import type { Rng } from '../../../server/simulator/random.js';

/**
 * Seeded mutations of valid request bodies, for the fuzz fault test: byte-level damage that any receiver must
 * survive (bit flips, truncation, invalid UTF-8, junk) plus format-aware damage — protobuf lengths and varints
 * that lie, JSON values of the wrong type, huge and deeply nested ones. Same seed, same bodies.
 */
export type Mutation = { name: string; body: Buffer };

type Mutator = (rng: Rng, body: Buffer) => Buffer;

const bytes: Record<string, Mutator> = {
  bitFlips: (rng, body) => {
    const out = Buffer.from(body);
    for (let n = rng.int(1, 8); n > 0 && out.length > 0; n--) out[rng.int(0, out.length - 1)]! ^= 1 << rng.int(0, 7);
    return out;
  },
  truncated: (rng, body) => body.subarray(0, rng.int(0, Math.max(0, body.length - 1))),
  randomBytesSpliced: (rng, body) => splice(rng, body, Buffer.from(Array.from({ length: rng.int(1, 32) }, () => rng.int(0, 255)))),
  invalidUtf8: (rng, body) => splice(rng, body, Buffer.from(rng.pick([[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0x28], [0xe2, 0x82]]))),
  duplicatedTail: (rng, body) => Buffer.concat([body, body.subarray(rng.int(0, body.length))]),
  empty: () => Buffer.alloc(0),
  pureJunk: (rng) => Buffer.from(Array.from({ length: rng.int(1, 2_000) }, () => rng.int(0, 255))),
};

const protobuf: Record<string, Mutator> = {
  // A length-delimited field claiming ~4 GiB, or a length just past the end.
  hugeLength: (rng, body) => splice(rng, body, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
  lengthPastEnd: (rng, body) => Buffer.concat([body, Buffer.from([(rng.int(1, 15) << 3) | 2, rng.int(5, 127)]), Buffer.from('abc')]),
  // A varint that never ends (continuation bit on every byte), or is longer than ten bytes.
  unterminatedVarint: (rng, body) => Buffer.concat([body.subarray(0, rng.int(0, body.length)), Buffer.from([0x08]), Buffer.alloc(rng.int(1, 16), 0x80)]),
  overlongVarint: (rng, body) => splice(rng, body, Buffer.from([0x08, ...Array<number>(11).fill(0xff), 0x01])),
  wrongWireType: (rng, body) => splice(rng, body, Buffer.from([(rng.int(1, 20) << 3) | rng.pick([3, 4, 6, 7]), 0x01])),
  // Deeply nested length-delimited messages (resource_spans → scope_spans → … far past the schema).
  deepNesting: (rng) => {
    let inner = Buffer.from([0x0a, 0x00]);
    for (let depth = rng.int(200, 3_000); depth > 0; depth--) inner = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
    return inner;
  },
  fieldOfWrongType: (rng, body) => splice(rng, body, Buffer.from([0x0a, 0x05, 0x08, 0x96, 0x01, 0x10, 0x2a])),
};

const json: Record<string, Mutator> = {
  wrongTypedValue: (rng, body) => mutateJson(rng, body, (value) => rng.pick(wrongValues(rng, value))),
  removedField: (rng, body) => mutateJson(rng, body, () => undefined),
  deepNesting: (rng) => Buffer.from(`${'['.repeat(rng.int(1_000, 100_000))}${rng.chance(0.5) ? ']'.repeat(10) : ''}`),
  deepObject: (rng) => {
    const depth = rng.int(100, 50_000);
    return Buffer.from(`{"resourceSpans":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}],"resourceLogs":[],"type":"x","data":[]}`);
  },
  hugeString: (rng, body) => mutateJson(rng, body, () => 'x'.repeat(rng.int(10_000, 600_000))),
  hugeArray: (rng, body) => mutateJson(rng, body, () => Array.from({ length: rng.int(1_000, 20_000) }, (_, i) => ({ k: i }))),
  notAnObject: (rng) => Buffer.from(rng.pick(['null', '1', '"text"', '[]', 'true', '[{}]', '{', '{"a":}', '\uFEFF', ' '])),
  numbersAsStrings: (_rng, body) => Buffer.from(body.toString('utf8').replace(/:\s*(-?\d+(?:\.\d+)?)/g, ': "$1"')),
  stringsAsNumbers: (rng, body) => Buffer.from(body.toString('utf8').replace(/:\s*"[^"]*"/g, () => `: ${rng.pick(['1e400', '-0', '123456789012345678901234567890', '0.1', 'NaN'])}`)),
};

const LIMIT_OF_NESTING = 2_000;

function wrongValues(rng: Rng, value: unknown): unknown[] {
  return [
    typeof value === 'number' ? String(value) : rng.int(-1e9, 1e9),
    typeof value === 'string' ? Number.MAX_SAFE_INTEGER * 10 : String(value),
    null,
    true,
    [],
    {},
    [value, value],
    { value },
    '',
    '\u0000\uFFFF\uD800',
    -1,
    1e308,
    '9999-99-99T99:99:99Z',
  ];
}

/** Replace a random node of a JSON body by `replace(old)` (undefined removes it); the body as is when it is not JSON. */
function mutateJson(rng: Rng, body: Buffer, replace: (value: unknown) => unknown): Buffer {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  const slots: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > LIMIT_OF_NESTING || node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      slots.push({ holder: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key });
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  if (slots.length === 0) return Buffer.from(JSON.stringify(replace(root) ?? null));
  const { holder, key } = rng.pick(slots);
  const next = replace((holder as Record<string | number, unknown>)[key]);
  if (next === undefined && !Array.isArray(holder)) delete (holder as Record<string, unknown>)[key as string];
  else (holder as Record<string | number, unknown>)[key] = next;
  try {
    return Buffer.from(JSON.stringify(root));
  } catch {
    return body; // nested past what JSON.stringify can walk (a deepObject before): left as it was
  }
}

function splice(rng: Rng, body: Buffer, insert: Buffer): Buffer {
  const at = rng.int(0, body.length);
  return Buffer.concat([body.subarray(0, at), insert, body.subarray(at + (rng.chance(0.5) ? insert.length : 0))]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** One fuzzed body from one of `valid`: one to three mutations of the kinds that fit the format. */
export function fuzzBody(rng: Rng, valid: readonly Buffer[], format: 'protobuf' | 'json'): Mutation {
  const kinds = { ...bytes, ...(format === 'protobuf' ? protobuf : json) };
  const names = Object.keys(kinds);
  let body = rng.pick(valid);
  const applied: string[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const name = rng.pick(names);
    body = kinds[name]!(rng, body);
    applied.push(name);
  }
  return { name: applied.join('+'), body };
}

/** gzip a body (for Content-Encoding: gzip requests). */
export function gzipped(body: Buffer): Buffer {
  return gzipSync(body);
}
