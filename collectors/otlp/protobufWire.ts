import { OtlpDecodeError } from './otlpModel.js';

/**
 * A small protobuf wire-format reader and writer (https://protobuf.dev/programming-guides/encoding/): just
 * what OTLP requests and responses need. Unknown fields are skipped, as proto3 requires; anything truncated
 * or inconsistent throws OtlpDecodeError.
 */

export const WIRE = { varint: 0, fixed64: 1, len: 2, fixed32: 5 } as const;

const utf8 = new TextDecoder('utf-8');

export class ProtoReader {
  #pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.#pos = start;
  }

  get done(): boolean {
    return this.#pos >= this.end;
  }

  /** Read fields until the end of this message; `handle` returns false for fields it does not read. */
  fields(handle: (field: number, wire: number) => boolean): void {
    while (this.#pos < this.end) {
      const at = this.#pos;
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (field === 0) throw this.#error(`invalid field number 0 at byte ${at}`);
      if (!handle(field, wire)) this.skipField(wire);
    }
  }

  /** Throws unless the field arrived with the wire type its schema declares. */
  expect(field: number, wire: number, expected: number): void {
    if (wire !== expected) throw this.#error(`field ${field} has wire type ${wire}, expected ${expected}`);
  }

  /** An unsigned varint as a number (exact up to 2^53: lengths, enums, counts, booleans). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.end) throw this.#error('truncated varint');
      const b = this.buf[this.#pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw this.#error('varint longer than 10 bytes');
  }

  /** A varint as a signed 64-bit integer (int64 two's complement). */
  int64(): bigint {
    let value = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.end) throw this.#error('truncated varint');
      const b = this.buf[this.#pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, value);
      shift += 7n;
    }
    throw this.#error('varint longer than 10 bytes');
  }

  fixed64(): bigint {
    const view = this.#view(8);
    return view.getBigUint64(0, true);
  }

  double(): number {
    return this.#view(8).getFloat64(0, true);
  }

  fixed32(): number {
    return this.#view(4).getUint32(0, true);
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (length > this.end - this.#pos) throw this.#error(`length ${length} runs past the end of the message`);
    const out = this.buf.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return out;
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** The embedded message of a length-delimited field. */
  message(): ProtoReader {
    const length = this.varint();
    if (length > this.end - this.#pos) throw this.#error(`length ${length} runs past the end of the message`);
    const start = this.#pos;
    this.#pos += length;
    return new ProtoReader(this.buf, start, start + length);
  }

  skipField(wire: number): void {
    if (wire === WIRE.varint) this.varint();
    else if (wire === WIRE.fixed64) this.#view(8);
    else if (wire === WIRE.len) this.bytes();
    else if (wire === WIRE.fixed32) this.#view(4);
    else throw this.#error(`unsupported wire type ${wire}`);
  }

  #view(size: number): DataView {
    if (size > this.end - this.#pos) throw this.#error('truncated fixed-size field');
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.#pos, size);
    this.#pos += size;
    return view;
  }

  #error(message: string): OtlpDecodeError {
    return new OtlpDecodeError(`malformed protobuf: ${message}`);
  }
}

/** Builds a message field by field; nested messages are written by a nested writer. */
export class ProtoWriter {
  readonly #chunks: number[] = [];

  varintField(field: number, value: number | bigint): this {
    if (value === 0 || value === 0n) return this;
    this.#key(field, WIRE.varint);
    this.#varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  stringField(field: number, value: string): this {
    if (value === '') return this;
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.#key(field, WIRE.len);
    this.#varint(BigInt(value.length));
    for (const b of value) this.#chunks.push(b);
    return this;
  }

  messageField(field: number, message: ProtoWriter): this {
    return this.bytesField(field, message.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#chunks);
  }

  #key(field: number, wire: number): void {
    this.#varint(BigInt(field * 8 + wire));
  }

  #varint(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.#chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#chunks.push(Number(v));
  }
}
