import { OtlpDecodeError } from './otlpModel.js';

/**
 * A small protobuf wire-format reader and writer (https://protobuf.dev/programming-guides/encoding/): just
 * what OTLP requests and responses need. Unknown fields are skipped, as proto3 requires; anything truncated
 * or inconsistent throws OtlpDecodeError.
 */

export const WIRE = { varint: 0, fixed64: 1, len: 2, fixed32: 5 } as const;

export class ProtoReader {
  #pos: number;
  /** A Buffer view of the bytes (no copy): strings, hex ids and fixed-size numbers are read from it in place. */
  private readonly buf: Buffer;
  private readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = start;
    this.end = end;
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
    return this.buf.readBigUInt64LE(this.#fixed(8));
  }

  double(): number {
    return this.buf.readDoubleLE(this.#fixed(8));
  }

  fixed32(): number {
    return this.buf.readUInt32LE(this.#fixed(4));
  }

  bytes(): Uint8Array {
    const start = this.#lengthDelimited();
    return this.buf.subarray(start, this.#pos);
  }

  /** A string field, decoded as UTF-8 (invalid sequences become U+FFFD, as TextDecoder does). */
  string(): string {
    const start = this.#lengthDelimited();
    return this.buf.toString('utf8', start, this.#pos);
  }

  /** A bytes field holding an id, as lower-case hex: `size` bytes, or none (unset). All-zero ids are unset too. */
  hexId(field: number, size: 8 | 16): string {
    const start = this.#lengthDelimited();
    const length = this.#pos - start;
    if (length !== 0 && length !== size) throw this.#error(`field ${field} must be a ${size}-byte id, got ${length} bytes`);
    let zero = true;
    for (let i = start; i < this.#pos && zero; i++) zero = this.buf[i] === 0;
    return zero ? '' : this.buf.toString('hex', start, this.#pos);
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
    else if (wire === WIRE.fixed64) this.#fixed(8);
    else if (wire === WIRE.len) this.#lengthDelimited();
    else if (wire === WIRE.fixed32) this.#fixed(4);
    else throw this.#error(`unsupported wire type ${wire}`);
  }

  /** Skip a fixed-size field; returns where it starts. */
  #fixed(size: number): number {
    if (size > this.end - this.#pos) throw this.#error('truncated fixed-size field');
    const start = this.#pos;
    this.#pos += size;
    return start;
  }

  /** Skip a length-delimited field; returns where its bytes start (they end at the new position). */
  #lengthDelimited(): number {
    const length = this.varint();
    if (length > this.end - this.#pos) throw this.#error(`length ${length} runs past the end of the message`);
    const start = this.#pos;
    this.#pos += length;
    return start;
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
