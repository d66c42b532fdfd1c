import type { Request } from 'express';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';

/**
 * Read a request body as the exact bytes sent (after any Content-Encoding), refusing with 413 as soon as it
 * passes `limit` bytes. A compressed body is counted after decompression and inflated in a stream, so a small
 * gzip bomb is stopped at the limit instead of expanding in memory. Signatures are computed over these bytes.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let source: Readable = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip());
  else if (encoding === 'deflate') source = req.pipe(createInflate());
  else if (encoding !== 'identity') {
    throw new AppError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip, deflate or none`);
  }

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        source.destroy();
        req.unpipe();
        req.resume();
        throw tooLarge(limit);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, 'invalid_body', `request body could not be read: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, with the same limits and answers as readRawBody. */
export async function readBody(req: Request, limit: number): Promise<string> {
  return (await readRawBody(req, limit)).toString('utf8');
}

function tooLarge(limit: number): AppError {
  // Connection: close — the client may still be sending the rest of the body we will not read.
  return new AppError(413, 'body_too_large', `request body is larger than ${limit} bytes (after decompression); split it into smaller requests`, {
    headers: { Connection: 'close' },
  });
}
