import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';

/**
 * One error handler: every failure leaves as `{ error: { code, message } }` with a stable code.
 * A 5xx never leaks its message; everything is logged.
 */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      appError = new AppError(
        'VALIDATION_FAILED',
        undefined,
        err.validation.map((issue) => ({
          path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
          code: String((issue.params.issue as { code?: string } | undefined)?.code ?? issue.keyword),
          message: issue.message ?? 'invalide',
        })),
      );
    } else {
      const fastifyErr = err as FastifyError;
      const status = fastifyErr.statusCode ?? 500;
      if (status === 413) appError = new AppError('PAYLOAD_TOO_LARGE');
      else if (status === 415) appError = new AppError('UNSUPPORTED_MEDIA_TYPE');
      else if (status === 429) appError = new AppError('RATE_LIMITED');
      else if (status >= 400 && status < 500) appError = new AppError('BAD_REQUEST');
      else appError = new AppError('INTERNAL');
    }

    if (appError.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: appError.code, err: err.message }, 'request refused');

    const body: { error: { code: string; message: string; fields?: unknown } } = {
      error: { code: appError.code, message: appError.message },
    };
    if (appError.fields) body.error.fields = appError.fields;
    if (appError.code === 'RATE_LIMITED' && 'headers' in err) {
      // @fastify/rate-limit sets retry-after on its error.
    }
    return reply.status(appError.status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: new AppError('NOT_FOUND').message } });
    request.log.debug({ url: request.url }, 'no route');
  });
}
