import { REPORTS } from '../../../src-shared/reports';
import { derivedFieldNames, type EntityDef, SYSTEM_FIELDS } from '../../../src-shared/schema/define-entity';
import { type FieldSpec, maxLengthOf } from '../../../src-shared/schema/field';
import { DEFAULT_LIMIT, filterableFields, isRangeField, MAX_LIMIT, RANGE_OPERATORS, sortableFields } from './api-query';

/**
 * The OpenAPI 3.1 document of the public API, generated from the entity registry (one source of
 * truth): a schema per entity (the record, what a create takes, what a patch takes), the list
 * parameters (filters per field, ranges on dates and numbers, sort, cursor), errors and the two ways
 * to send a key. Built once per process: the registry does not change while it runs.
 */

type Json = Record<string, unknown>;

export const schemaName = (entity: EntityDef) => entity.name.charAt(0).toUpperCase() + entity.name.slice(1);

/** JSON Schema of one field's value. */
export function fieldSchema(field: FieldSpec): Json {
  const described: Json = {
    ...(field.label ? { title: field.label } : {}),
    ...(field.description ? { description: field.description } : {}),
  };
  const bounds: Json = {
    ...(field.min !== undefined ? { minimum: field.min } : {}),
    ...(field.max !== undefined ? { maximum: field.max } : {}),
  };
  const maxLength = maxLengthOf(field);
  const text = (extra: Json = {}): Json => ({
    type: 'string',
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...extra,
    ...described,
  });
  switch (field.type) {
    case 'enum':
      return { type: 'string', enum: [...(field.values ?? [])], ...described };
    case 'integer':
    case 'money':
      return { type: 'integer', ...bounds, ...described };
    case 'number':
    case 'percent':
      return { type: 'number', ...bounds, ...described };
    case 'boolean':
      return { type: 'boolean', ...described };
    case 'date':
      return { type: 'string', format: 'date', ...described };
    case 'datetime':
      return { type: 'string', format: 'date-time', ...described };
    case 'email':
      return text({ format: 'email' });
    case 'url':
      return text({ format: 'uri' });
    case 'ref':
      return text({ description: `Id of a ${field.ref} record.${field.description ? ` ${field.description}` : ''}` });
    case 'tags':
      return { type: 'array', items: { type: 'string' }, ...described };
    case 'json':
      return { ...described };
    default:
      return text();
  }
}

const CUSTOM_FIELDS: Json = {
  type: 'object',
  description: 'Values of the custom fields defined for this entity.',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

function recordSchema(entity: EntityDef): Json {
  const properties: Json = Object.fromEntries(Object.entries(entity.allFields).map(([n, f]) => [n, fieldSchema(f)]));
  if (entity.customizable) properties.customFields = CUSTOM_FIELDS;
  const required = Object.entries(entity.allFields)
    .filter(([, f]) => f.required)
    .map(([n]) => n);
  return { type: 'object', description: entity.description, properties, required };
}

/** What a client may send: the entity's fields and the owner; `id` only on create. */
function inputSchema(entity: EntityDef, mode: 'create' | 'patch'): Json {
  const stamped = new Set<string>([...SYSTEM_FIELDS, ...derivedFieldNames(entity)]);
  const writable = Object.entries(entity.allFields).filter(([n]) => !stamped.has(n));
  const properties: Json = Object.fromEntries(
    writable.map(([n, f]) => [
      n,
      mode === 'patch' && !f.required ? { anyOf: [fieldSchema(f), { type: 'null' }] } : fieldSchema(f),
    ]),
  );
  if (mode === 'create') properties.id = { type: 'string', maxLength: 40, description: 'Optional: a new id is made.' };
  if (entity.customizable) properties.customFields = CUSTOM_FIELDS;
  const required =
    mode === 'create'
      ? writable.filter(([n, f]) => f.required && f.default === undefined && n !== 'ownerId').map(([n]) => n)
      : [];
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(mode === 'patch' ? { minProperties: 1, description: 'Fields to change; null clears an optional field.' } : {}),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const ERRORS = {
  '400': errorResponse('A parameter or field is wrong; `field` names it.'),
  '401': errorResponse('No API key, or one that is unknown, revoked or expired.'),
  '403': errorResponse('The key’s role, scope or grants do not allow this.'),
  '429': errorResponse('Too many requests for this key; see Retry-After.'),
};
const json = (schema: Json) => ({ 'application/json': { schema } });

function listParameters(entity: EntityDef): Json[] {
  const params: Json[] = [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
    { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page.', schema: { type: 'string' } },
    {
      name: 'sort',
      in: 'query',
      description: 'An indexed field; prefix with - for descending. Default: newest first.',
      schema: { type: 'string', enum: sortableFields(entity).flatMap((f) => [f, `-${f}`]), default: 'newest' },
    },
  ];
  for (const [name, field] of filterableFields(entity)) {
    const schema = fieldSchema(field);
    params.push({ name, in: 'query', description: `Equal to (${field.label ?? name}).`, schema });
    if (!isRangeField(field)) continue;
    for (const op of RANGE_OPERATORS) params.push({ name: `${name}[${op}]`, in: 'query', schema });
  }
  return params;
}

function entityPaths(entity: EntityDef): Json {
  const name = schemaName(entity);
  const tags = [entity.plural];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } };
  const one = { description: `The ${entity.label}.`, content: json(ref(name)) };
  const notFound = { '404': errorResponse('No such record within the key’s scope.') };
  const invalid = { '422': errorResponse('The record would break a rule of the registry; `field` names it.') };
  return {
    [`/api/v1/${entity.name}`]: {
      get: {
        operationId: `list${name}`,
        summary: `List ${entity.plural}`,
        tags,
        parameters: listParameters(entity),
        responses: {
          '200': {
            description: 'One page.',
            content: json({
              type: 'object',
              properties: { data: { type: 'array', items: ref(name) }, nextCursor: { type: ['string', 'null'] } },
              required: ['data', 'nextCursor'],
            }),
          },
          ...ERRORS,
        },
      },
      post: {
        operationId: `create${name}`,
        summary: `Create a ${entity.label}`,
        tags,
        requestBody: { required: true, content: json(ref(`${name}Input`)) },
        responses: { '201': one, ...ERRORS, '409': errorResponse('The id is taken.'), ...invalid },
      },
    },
    [`/api/v1/${entity.name}/{id}`]: {
      parameters: [idParam],
      get: { operationId: `get${name}`, tags, responses: { '200': one, ...ERRORS, ...notFound } },
      patch: {
        operationId: `update${name}`,
        tags,
        requestBody: { required: true, content: json(ref(`${name}Patch`)) },
        responses: { '200': one, ...ERRORS, ...notFound, ...invalid },
      },
      delete: {
        operationId: `delete${name}`,
        summary: 'Soft delete: the record is marked deleted, as the app does.',
        tags,
        responses: { '200': one, ...ERRORS, ...notFound },
      },
    },
  };
}

function otherPaths(): Json {
  return {
    '/api/v1/reports': {
      get: {
        operationId: 'listReports',
        tags: ['Reports'],
        responses: { '200': { description: 'The reports offered.', content: json({ type: 'object' }) }, ...ERRORS },
      },
    },
    '/api/v1/reports/{name}': {
      get: {
        operationId: 'runReport',
        tags: ['Reports'],
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: REPORTS.map((r) => r.id) } },
          { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{3}$', default: 'USD' } },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', description: 'Exclusive.', schema: { type: 'string', format: 'date' } },
          { name: 'ownerId', in: 'query', description: 'Comma-separated user ids.', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'Series and rows.', content: json({ type: 'object' }) },
          ...ERRORS,
          '404': errorResponse('No such report.'),
        },
      },
    },
    '/api/v1/graphql': {
      post: {
        operationId: 'graphql',
        summary: 'Read-only GraphQL over the same records and scopes, with depth and cost limits.',
        tags: ['GraphQL'],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            properties: {
              query: { type: 'string' },
              variables: { type: 'object' },
              operationName: { type: 'string' },
            },
            required: ['query'],
          }),
        },
        responses: { '200': { description: 'A GraphQL response.', content: json({ type: 'object' }) }, ...ERRORS },
      },
    },
  };
}

let built: Json | undefined;

export function openApiDocument(entities: readonly EntityDef[]): Json {
  if (built) return built;
  const schemas: Json = {
    Error: {
      type: 'object',
      properties: {
        error: { type: 'string' },
        field: { type: 'string', description: 'The field or parameter at fault.' },
      },
      required: ['error'],
    },
  };
  let paths: Json = {};
  for (const entity of entities) {
    const name = schemaName(entity);
    schemas[name] = recordSchema(entity);
    schemas[`${name}Input`] = inputSchema(entity, 'create');
    schemas[`${name}Patch`] = inputSchema(entity, 'patch');
    paths = { ...paths, ...entityPaths(entity) };
  }
  built = {
    openapi: '3.1.0',
    info: {
      title: 'FieldCRM public API',
      version: '1.0.0',
      description:
        'Records of every entity of the CRM, reports and read-only GraphQL, under the API key’s role and scope.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerKey: [] }, { headerKey: [] }],
    tags: [
      ...entities.map((e) => ({ name: e.plural, description: e.description })),
      { name: 'Reports' },
      { name: 'GraphQL' },
    ],
    paths: { ...paths, ...otherPaths() },
    components: {
      schemas,
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer crm_…' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
  return built;
}
