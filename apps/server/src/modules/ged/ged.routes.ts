import multipart from '@fastify/multipart';
import { errorStatus } from '@passerelle/contracts/errors';
import {
  clientGedDocumentPageSchema,
  clientGedFolderListSchema,
  clientGedSearchResultSchema,
  contentQuerySchema,
  gedBinSchema,
  gedDocumentPageSchema,
  gedDocumentSchema,
  gedDocumentUpdateSchema,
  gedFolderCreateSchema,
  gedFolderListSchema,
  gedFolderSchema,
  gedFolderUpdateSchema,
  gedSearchQuerySchema,
  gedSearchResultSchema,
  gedVersionListSchema,
  pageQuerySchema,
} from '@passerelle/contracts/ged';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireClient, requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { isFirstRead, sendDocument } from './ged.content.ts';
import { createGedService } from './ged.service.ts';
import type { MultipartPart } from './ged.upload.ts';

const fileParams = z.object({ fileId: z.uuid() });
const folderParams = z.object({ folderId: z.uuid() });
const docParams = z.object({ docId: z.uuid() });

/** The multipart limits of every upload route of the GED and the pieces. */
export function uploadLimits(ctx: AppContext) {
  return {
    fileSize: ctx.config.uploadMaxBytes,
    files: 20,
    fields: 10,
    fieldSize: 1024,
    parts: 40,
    headerPairs: 50,
  };
}

/**
 * Parses multipart bodies for the routes of this plugin. `preservePath` hands the claimed name
 * over whole, so that "../" in it is refused (FILE_NAME_INVALID) rather than silently cut.
 */
export async function registerMultipart(fastify: FastifyInstance, ctx: AppContext) {
  if (!fastify.hasContentTypeParser('multipart/form-data'))
    await fastify.register(multipart, { limits: uploadLimits(ctx), preservePath: true });
}

/** Upload results: 201 when one file was stored, else the first refusal's status and error. */
export function sendUploadResults<T extends { ok: boolean; error?: { code: string; message: string } }>(
  reply: FastifyReply,
  results: T[],
) {
  if (results.some((r) => r.ok)) return reply.code(201).send({ results });
  const first = results.find((r) => r.error)?.error ?? { code: 'BAD_REQUEST', message: 'Aucun fichier.' };
  const status = errorStatus[first.code as keyof typeof errorStatus] ?? 400;
  return reply.code(status).send({ error: first, results });
}

export async function gedRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = opts;
  const service = createGedService(ctx);
  await registerMultipart(app, ctx);
  const parts = (request: { parts: () => AsyncIterable<unknown> }) =>
    request.parts() as AsyncIterable<MultipartPart>;

  // ---- Firm -----------------------------------------------------------------------------------
  app.get(
    '/api/files/:fileId/ged/folders',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: gedFolderListSchema } } },
    (request) => service.listFolders(requireStaff(request.actor), request.params.fileId),
  );

  app.post(
    '/api/files/:fileId/ged/folders',
    {
      config: { access: 'staff-write' },
      schema: { params: fileParams, body: gedFolderCreateSchema, response: { 201: gedFolderSchema } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.createFolder(
            requireStaff(request.actor),
            originOf(request),
            request.params.fileId,
            request.body,
          ),
        ),
  );

  app.patch(
    '/api/ged/folders/:folderId',
    {
      config: { access: 'staff-write' },
      schema: { params: folderParams, body: gedFolderUpdateSchema, response: { 200: gedFolderSchema } },
    },
    (request) =>
      service.updateFolder(
        requireStaff(request.actor),
        originOf(request),
        request.params.folderId,
        request.body,
      ),
  );

  app.delete(
    '/api/ged/folders/:folderId',
    { config: { access: 'staff-write' }, schema: { params: folderParams } },
    async (request, reply) => {
      await service.deleteFolder(requireStaff(request.actor), originOf(request), request.params.folderId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/ged/folders/:folderId/documents',
    {
      config: { access: 'staff' },
      schema: {
        params: folderParams,
        querystring: pageQuerySchema,
        response: { 200: gedDocumentPageSchema },
      },
    },
    // The service answers the page's JSON bytes (serialized by the schema, compiled: decisions
    // 121, 122), the same whether they come from the folder-page cache or the database.
    async (request, reply) => {
      const body = await service.listDocuments(
        requireStaff(request.actor),
        request.params.folderId,
        request.query,
      );
      // Bytes are sent as they are (Fastify serializes no Buffer); the schema above describes them.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
    },
  );

  app.post(
    '/api/ged/folders/:folderId/documents',
    {
      config: { access: 'staff-write', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { params: folderParams },
    },
    async (request, reply) =>
      sendUploadResults(
        reply,
        await service.upload(
          requireStaff(request.actor),
          originOf(request),
          request.params.folderId,
          parts(request),
        ),
      ),
  );

  app.patch(
    '/api/ged/documents/:docId',
    {
      config: { access: 'staff-write' },
      schema: { params: docParams, body: gedDocumentUpdateSchema, response: { 200: gedDocumentSchema } },
    },
    (request) =>
      service.updateDocument(
        requireStaff(request.actor),
        originOf(request),
        request.params.docId,
        request.body,
      ),
  );

  app.post(
    '/api/ged/documents/:docId/versions',
    {
      config: { access: 'staff-write', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { params: docParams },
    },
    async (request, reply) =>
      sendUploadResults(
        reply,
        await service.addVersion(
          requireStaff(request.actor),
          originOf(request),
          request.params.docId,
          parts(request),
        ),
      ),
  );

  app.get(
    '/api/ged/documents/:docId/versions',
    { config: { access: 'staff' }, schema: { params: docParams, response: { 200: gedVersionListSchema } } },
    (request) => service.listVersions(requireStaff(request.actor), request.params.docId),
  );

  app.delete(
    '/api/ged/documents/:docId',
    { config: { access: 'staff-write' }, schema: { params: docParams } },
    async (request, reply) => {
      await service.binDocument(requireStaff(request.actor), originOf(request), request.params.docId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/ged/documents/:docId/restore',
    {
      config: { access: 'staff-write' },
      schema: { params: docParams, response: { 200: gedDocumentSchema } },
    },
    (request) =>
      service.restoreDocument(requireStaff(request.actor), originOf(request), request.params.docId),
  );

  app.get(
    '/api/files/:fileId/ged/bin',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: gedBinSchema } } },
    (request) => service.listBin(requireStaff(request.actor), request.params.fileId),
  );

  app.get(
    '/api/ged/documents/:docId/content',
    { config: { access: 'staff' }, schema: { params: docParams, querystring: contentQuerySchema } },
    async (request, reply) => {
      const doc = await service.documentForDownload(
        requireStaff(request.actor),
        originOf(request),
        request.params.docId,
        isFirstRead(request),
      );
      return sendDocument(ctx.blobs, request, reply, doc, request.query.disposition);
    },
  );

  app.get(
    '/api/files/:fileId/ged/search',
    {
      config: { access: 'staff' },
      schema: {
        params: fileParams,
        querystring: gedSearchQuerySchema,
        response: { 200: gedSearchResultSchema },
      },
    },
    (request) => service.search(requireStaff(request.actor), request.params.fileId, request.query),
  );

  // ---- Client (Start: ged.read; only shared folders and documents, within "Limité à") --------
  app.get(
    '/api/client/files/:fileId/ged/folders',
    {
      config: { access: 'client' },
      schema: { params: fileParams, response: { 200: clientGedFolderListSchema } },
    },
    (request) => service.clientFolders(requireClient(request.actor), request.params.fileId),
  );

  app.get(
    '/api/client/ged/folders/:folderId/documents',
    {
      config: { access: 'client' },
      schema: {
        params: folderParams,
        querystring: pageQuerySchema,
        response: { 200: clientGedDocumentPageSchema },
      },
    },
    (request) =>
      service.clientDocuments(requireClient(request.actor), request.params.folderId, request.query),
  );

  app.get(
    '/api/client/ged/documents/:docId/content',
    { config: { access: 'client' }, schema: { params: docParams, querystring: contentQuerySchema } },
    async (request, reply) => {
      const doc = await service.clientDocumentForDownload(
        requireClient(request.actor),
        originOf(request),
        request.params.docId,
        isFirstRead(request),
      );
      return sendDocument(ctx.blobs, request, reply, doc, request.query.disposition);
    },
  );

  app.get(
    '/api/client/files/:fileId/ged/search',
    {
      config: { access: 'client' },
      schema: {
        params: fileParams,
        querystring: z.object({ q: z.string().trim().min(1).max(200) }),
        response: { 200: clientGedSearchResultSchema },
      },
    },
    (request) => service.clientSearch(requireClient(request.actor), request.params.fileId, request.query.q),
  );
}
