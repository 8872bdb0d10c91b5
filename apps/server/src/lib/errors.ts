import { type ErrorCode, errorMessagesFr, errorStatus } from '@passerelle/contracts/errors';

/** The one way to fail: a stable code, mapped to an HTTP status in one table. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: { path: string; code: string; message: string }[],
  ) {
    super(message ?? errorMessagesFr[code]);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (message?: string) => new AppError('NOT_FOUND', message);
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
export const conflict = (message?: string) => new AppError('CONFLICT', message);
