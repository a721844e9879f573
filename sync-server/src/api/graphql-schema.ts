import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import type { Access } from '../auth/access';
import type { Queryable } from '../db/database';
import { filterableFields, isRangeField, MAX_LIMIT, parseListQuery, RANGE_OPERATORS } from './api-query';
import { type ApiRecord, listRecords, recordsByIds, recordsByParent } from './api-read';
import { schemaName } from './openapi';

/**
 * The read-only GraphQL schema, generated from the registry: an object type per entity with its
 * fields, a field per reference (`deal.company` from `deal.companyId`) and per reference pointing
 * back (`company.contacts`), a query for one record by id (`deal(id:)`) and a filtered, paginated list per entity (`allDeals`).
 * Every resolver reads through api-read.ts, so the key's scope applies to nested records too.
 */

export interface GraphqlContext {
  db: Queryable;
  access: Access;
  /** The request's batches (see `batchLoad`), by what they read. */
  batches: Map<string, Batch>;
}

/** Keys asked for while graphql-js resolves one level, read together, each key's answer remembered. */
interface Batch {
  pending: Map<string, { resolve: (value: unknown) => void; reject: (error: unknown) => void }[]>;
  done: Map<string, Promise<unknown>>;
}

/**
 * Resolvers of sibling records run in one synchronous pass, so keys asked for before the next turn
 * of the event loop are read with one query (`read`) instead of one each (the N+1 problem).
 */
function batchLoad<V>(
  context: GraphqlContext,
  name: string,
  key: string,
  read: (keys: string[]) => Promise<Map<string, V>>,
): Promise<V | undefined> {
  let batch = context.batches.get(name);
  if (!batch) {
    batch = { pending: new Map(), done: new Map() };
    context.batches.set(name, batch);
  }
  const known = batch.done.get(key);
  if (known) return known as Promise<V | undefined>;
  const current = batch;
  const promise = new Promise<V | undefined>((resolve, reject) => {
    if (current.pending.size === 0) {
      setImmediate(() => {
        const waiting = new Map(current.pending);
        current.pending.clear();
        read([...waiting.keys()]).then(
          (found) => {
            for (const [k, callbacks] of waiting) for (const c of callbacks) c.resolve(found.get(k));
          },
          (error: unknown) => {
            for (const callbacks of waiting.values()) for (const c of callbacks) c.reject(error);
          },
        );
      });
    }
    const callbacks = current.pending.get(key) ?? [];
    callbacks.push({ resolve: resolve as (value: unknown) => void, reject });
    current.pending.set(key, callbacks);
  });
  batch.done.set(key, promise);
  return promise;
}

/** Largest page a relation or list field serves; the cost limit multiplies by it. */
export const MAX_GRAPHQL_PAGE = 100;
export const DEFAULT_GRAPHQL_PAGE = 20;

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
});

const INT_MAX = 2_147_483_647;

function scalarOf(field: FieldSpec): GraphQLOutputType & GraphQLInputType {
  switch (field.type) {
    case 'integer':
      // GraphQL's Int is 32-bit: wider integers (the newest-first key) are Floats.
      return field.min !== undefined && field.max !== undefined && field.min >= -INT_MAX && field.max <= INT_MAX
        ? GraphQLInt
        : GraphQLFloat;
    case 'money':
    case 'number':
    case 'percent':
      return GraphQLFloat;
    case 'boolean':
      return GraphQLBoolean;
    case 'json':
      return JSONScalar;
    default:
      return GraphQLString;
  }
}

/** A reference field's relation name: `companyId` → `company`. */
const relationName = (field: string) => field.replace(/Id$/, '');
const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const capital = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

interface BackReference {
  child: EntityDef;
  field: string;
  name: string;
}

/** References pointing at each entity, named after the child's table (`contacts`), `…By<Field>` when several. */
function backReferences(entities: readonly EntityDef[]): Map<string, BackReference[]> {
  const byParent = new Map<string, BackReference[]>();
  for (const child of entities) {
    const refs = Object.entries(child.allFields).filter(
      ([name, f]) => f.type === 'ref' && f.ref !== 'user' && name !== 'ownerId',
    );
    for (const [field, spec] of refs) {
      const parent = String(spec.ref);
      const several = refs.filter(([, f]) => f.ref === parent).length > 1;
      const name = `${camel(child.table)}${several ? `By${capital(relationName(field))}` : ''}`;
      byParent.set(parent, [...(byParent.get(parent) ?? []), { child, field, name }]);
    }
  }
  return byParent;
}

/** The list arguments as the REST API's query string, so both parse and refuse alike. */
function queryOf(args: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const filter = (args.filter ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    const range = /^(.*)_(gt|gte|lt|lte)$/.exec(key);
    query[range ? `${range[1]}[${range[2]}]` : key] = String(value);
  }
  if (args.limit !== undefined && args.limit !== null) query.limit = String(args.limit);
  if (typeof args.after === 'string') query.cursor = args.after;
  if (typeof args.sort === 'string') query.sort = args.sort;
  return query;
}

function readOne(context: GraphqlContext, entity: EntityDef, id: string): Promise<ApiRecord | undefined> {
  return batchLoad(context, entity.name, id, (ids) => recordsByIds(context.db, entity, context.access, ids));
}

async function readChildren(
  context: GraphqlContext,
  ref: BackReference,
  parentId: string,
  limit: number,
): Promise<ApiRecord[]> {
  const found = await batchLoad(context, `${ref.child.name}.${ref.field}:${limit}`, parentId, (parents) =>
    recordsByParent(context.db, ref.child, context.access, ref.field, parents, limit),
  );
  return found ?? [];
}

export function buildGraphqlSchema(entities: readonly EntityDef[]): GraphQLSchema {
  const byName = new Map(entities.map((e) => [e.name, e]));
  const back = backReferences(entities);
  const types = new Map<string, GraphQLObjectType>();
  const filters = new Map<string, GraphQLInputObjectType>();
  const pageArgs = {
    limit: { type: GraphQLInt, description: `At most ${MAX_GRAPHQL_PAGE}; default ${DEFAULT_GRAPHQL_PAGE}.` },
  };

  const filterOf = (entity: EntityDef) => {
    let input = filters.get(entity.name);
    if (!input) {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const [name, field] of filterableFields(entity)) {
        fields[name] = { type: scalarOf(field) };
        if (isRangeField(field)) for (const op of RANGE_OPERATORS) fields[`${name}_${op}`] = { type: scalarOf(field) };
      }
      input = new GraphQLInputObjectType({ name: `${schemaName(entity)}Filter`, fields });
      filters.set(entity.name, input);
    }
    return input;
  };

  const typeOf = (entity: EntityDef): GraphQLObjectType => {
    const existing = types.get(entity.name);
    if (existing) return existing;
    const type: GraphQLObjectType = new GraphQLObjectType({
      name: schemaName(entity),
      description: entity.description,
      fields: () => {
        const fields: GraphQLFieldConfigMap<ApiRecord, GraphqlContext> = {};
        for (const [name, field] of Object.entries(entity.allFields)) {
          const scalar = scalarOf(field);
          fields[name] = {
            type: field.type === 'tags' ? new GraphQLList(new GraphQLNonNull(GraphQLString)) : scalar,
            ...(field.label ? { description: field.label } : {}),
          };
        }
        if (entity.customizable) fields.customFields = { type: JSONScalar };
        for (const [name, field] of Object.entries(entity.allFields)) {
          const target = field.type === 'ref' ? byName.get(String(field.ref)) : undefined;
          const relation = relationName(name);
          if (!target || relation === name || relation in fields) continue;
          fields[relation] = {
            type: typeOf(target),
            resolve: (record, _args, context) =>
              typeof record[name] === 'string' ? readOne(context, target, record[name]) : null,
          };
        }
        for (const ref of back.get(entity.name) ?? []) {
          if (ref.name in fields) continue;
          fields[ref.name] = {
            type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(typeOf(ref.child)))),
            args: pageArgs,
            resolve: (record, args: { limit?: number | null }, context) =>
              readChildren(context, ref, String(record.id), pageSize(args.limit)),
          };
        }
        return fields;
      },
    });
    types.set(entity.name, type);
    return type;
  };

  const query: GraphQLFieldConfigMap<unknown, GraphqlContext> = {};
  for (const entity of entities) {
    const type = typeOf(entity);
    const page = new GraphQLObjectType({
      name: `${schemaName(entity)}Page`,
      fields: {
        nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))) },
        nextCursor: { type: GraphQLString },
      },
    });
    query[entity.name] = {
      type,
      args: { id: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: (_root, args: { id: string }, context) => readOne(context, entity, args.id),
    } satisfies GraphQLFieldConfig<unknown, GraphqlContext, { id: string }>;
    query[listFieldName(entity)] = {
      type: new GraphQLNonNull(page),
      args: {
        filter: { type: filterOf(entity) },
        ...pageArgs,
        after: { type: GraphQLString, description: 'The nextCursor of the previous page.' },
        sort: { type: GraphQLString, description: 'An indexed field, - for descending (as in the REST API).' },
      },
      resolve: async (_root, args: Record<string, unknown>, context) => {
        const listQuery = parseListQuery(
          entity,
          queryOf({ ...args, limit: pageSize(args.limit as number | undefined) }),
        );
        const { data, nextCursor } = await listRecords(context.db, entity, context.access, listQuery);
        return { nodes: data, nextCursor };
      },
    };
  }
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: query }) });
}

/** The root list of an entity: `allDeals`, `allLeadLists` (never an entity's own name). */
export const listFieldName = (entity: EntityDef) => `all${capital(camel(entity.table))}`;

/** The page size a list or relation serves: the argument, bounded. */
export function pageSize(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return DEFAULT_GRAPHQL_PAGE;
  return Math.max(1, Math.min(MAX_GRAPHQL_PAGE, Math.min(MAX_LIMIT, limit)));
}
