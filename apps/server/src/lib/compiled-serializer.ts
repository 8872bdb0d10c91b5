import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';

type JsonSchema = { [key: string]: unknown };

const primitive = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * `z.toJSONSchema` writes `T | null` as `anyOf: [T, {type: 'null'}]`; fast-json-stringify then
 * checks every value against both branches at run time. For a primitive T the same meaning is
 * `type: [T, 'null']`, which it compiles to a plain branch.
 */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = simplify(value);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const [a, b] = anyOf as JsonSchema[];
    const isNull = (s: JsonSchema | undefined) => s?.type === 'null' && Object.keys(s).length === 1;
    const other = isNull(b) ? a : isNull(a) ? b : undefined;
    if (other && typeof other.type === 'string' && primitive.has(other.type) && !('enum' in other)) {
      delete out.anyOf;
      return { ...out, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

/** The fast-json-stringify schema of a zod response schema; undefined when JSON Schema cannot say it (transforms…). */
export function responseJsonSchema(schema: z.ZodType): JsonSchema | undefined {
  try {
    const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
    delete json.$schema;
    return simplify(json) as JsonSchema;
  } catch {
    return undefined;
  }
}

/**
 * Response serializer compiled from the route's zod response schema (through its JSON Schema) by
 * fast-json-stringify: only the properties the schema names are written, each as the type the
 * schema gives it, and a missing required property is an error (a 500, as a zod failure was).
 * Unlike the zod serializer it does not re-check formats, patterns or enums of values the
 * service built from typed rows. A schema JSON Schema cannot express (a transform, a refinement
 * that changes the output) keeps the zod serializer. Opt-in per route: `serializerCompiler`.
 */
export const compiledSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const { schema } = route;
  if (!(schema instanceof $ZodType))
    throw new Error(`${route.method} ${route.url}: response schema is not zod`);
  const json = responseJsonSchema(schema as z.ZodType);
  if (!json) return zodSerializerCompiler({ ...route, schema });
  return fastJson(json as unknown as Parameters<typeof fastJson>[0]);
};

/** The same serializer for a service that keeps the bytes it sends (e.g. a cached answer). */
export function compileResponseSerializer(schema: z.ZodType, name: string): (value: unknown) => string {
  return compiledSerializerCompiler({ schema, method: 'GET', url: name, httpStatus: '200' }) as (
    value: unknown,
  ) => string;
}
