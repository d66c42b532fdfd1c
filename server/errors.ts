import type { ApiError } from './contracts/api.js';

type Detail = NonNullable<ApiError['error']['details']>[number];

/**
 * The one application error. Operational errors (bad input, unknown key, overload) return their message;
 * anything else is logged with its stack and answered with a generic 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { details?: Detail[]; headers?: Record<string, string>; operational?: boolean } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get operational(): boolean {
    return this.options.operational ?? true;
  }
}

export function errorBody(status: number, code: string, message: string, details?: Detail[]): ApiError {
  return { error: { status, code, message, ...(details ? { details } : {}) } };
}
