import type { FastifyInstance } from 'fastify';
import {
  type DocumentNode,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type ValueNode,
  validate,
} from 'graphql';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import type { ApiAuthenticator } from './api-access';
import { buildGraphqlSchema, type GraphqlContext, pageSize } from './graphql-schema';

/**
 * POST /api/v1/graphql: read-only queries over the registry's schema (graphql-schema.ts). Before a
 * query runs, two limits bound what it may cost (OWASP GraphQL cheat sheet, "query limiting"):
 * - depth: fields nested at most MAX_DEPTH deep (introspection's own fields aside);
 * - cost: the records it could read at most, each list or relation counting its page size times
 *   the records it hangs from, at most MAX_COST.
 * Either refusal is a 400 saying the measured value and the limit.
 */

export const MAX_DEPTH = 7;
export const MAX_COST = 10_000;
const MAX_QUERY_LENGTH = 20_000;

type Variables = Readonly<Record<string, unknown>>;

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Variables;
}

function intArgument(value: ValueNode | undefined, variables: Variables): number | undefined {
  if (value === undefined) return undefined;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : undefined;
  }
  return undefined;
}

/** The fields of a selection set with fragments inlined, each with the type it is selected on. */
function* fieldsOf(walk: Walk, type: GraphQLNamedType, set: SelectionSetNode): Generator<FieldNode> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(walk, type, selection.selectionSet);
    else {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) yield* fieldsOf(walk, type, fragment.selectionSet);
    }
  }
}

interface Measure {
  depth: number;
  cost: number;
}

/** Depth and cost of a selection set selected `times` times on `type`. */
function measure(walk: Walk, type: GraphQLNamedType, set: SelectionSetNode, times: number): Measure {
  let depth = 0;
  let cost = 0;
  if (!(type instanceof GraphQLObjectType)) return { depth, cost };
  for (const node of fieldsOf(walk, type, set)) {
    const name = node.name.value;
    if (name.startsWith('__')) continue;
    const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[name];
    if (!field) continue;
    const target = getNamedType(field.type);
    const isList = field.args.some((a) => a.name === 'limit');
    // A page's `nodes` are the records its list already counted.
    const reads = target instanceof GraphQLObjectType && !target.name.endsWith('Page') && !type.name.endsWith('Page');
    let inner = times;
    if (isList) {
      const limit = node.arguments?.find((a) => a.name.value === 'limit')?.value;
      inner = times * pageSize(intArgument(limit, walk.variables));
      cost += inner;
    } else if (reads) cost += times;
    const below = node.selectionSet ? measure(walk, target, node.selectionSet, inner) : { depth: 0, cost: 0 };
    depth = Math.max(depth, 1 + below.depth);
    cost += below.cost;
  }
  return { depth, cost };
}

function refusal(status: number, message: string, code: string) {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/** The operation a request runs: the named one, or the only one. */
function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name === undefined
    ? operations.length === 1
      ? operations[0]
      : undefined
    : operations.find((o) => o.name?.value === name);
}

export interface GraphqlRequest {
  query: string;
  variables: Variables;
  operationName?: string;
}

const REQUEST_PARAMETERS = new Set(['query', 'variables', 'operationName', 'extensions']);

function requestOf(body: unknown): GraphqlRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'send { query, variables? } as JSON');
  }
  const { query, variables, operationName } = body as Record<string, unknown>;
  // The parameters of GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/#sec-Request-Parameters);
  // anything else is a client's mistake (a misspelt `variables` would run the query without them).
  const unknown = Object.keys(body).find((key) => !REQUEST_PARAMETERS.has(key));
  if (unknown !== undefined) {
    throw new HttpError(400, `${unknown.slice(0, 60)} is not a parameter of a GraphQL request`, unknown.slice(0, 60));
  }
  if (typeof query !== 'string' || query.trim() === '')
    throw new HttpError(400, 'query must be a GraphQL document', 'query');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new HttpError(400, `query is longer than ${MAX_QUERY_LENGTH} characters`, 'query');
  }
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw new HttpError(400, 'variables must be an object', 'variables');
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new HttpError(400, 'operationName must be a string', 'operationName');
  }
  return {
    query,
    variables: (variables ?? {}) as Variables,
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

/** Runs a query for a caller within the limits; the status and body to answer. */
export async function runGraphql(
  schema: GraphQLSchema,
  request: GraphqlRequest,
  context: GraphqlContext,
): Promise<{ status: number; body: unknown }> {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return refusal(400, error instanceof GraphQLError ? error.message : String(error), 'GRAPHQL_PARSE_FAILED');
  }
  const problems = validate(schema, document);
  if (problems.length > 0) {
    return {
      status: 400,
      body: {
        errors: problems.map((p) => ({ message: p.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
      },
    };
  }
  const operation = operationOf(document, request.operationName);
  if (!operation) return refusal(400, 'name the operation to run (operationName)', 'GRAPHQL_VALIDATION_FAILED');
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = schema.getQueryType();
  if (!root) throw new Error('the schema has no query type');
  const { depth, cost } = measure({ schema, fragments, variables: request.variables }, root, operation.selectionSet, 1);
  if (depth > MAX_DEPTH) {
    return refusal(400, `the query is ${depth} levels deep; at most ${MAX_DEPTH} are allowed`, 'DEPTH_LIMIT_EXCEEDED');
  }
  if (cost > MAX_COST) {
    return refusal(
      400,
      `the query could read ${cost} records; at most ${MAX_COST} are allowed: ask for smaller pages (limit) or fewer relations`,
      'COST_LIMIT_EXCEEDED',
    );
  }
  const result = await execute({
    schema,
    document,
    variableValues: request.variables,
    contextValue: context,
    ...(request.operationName ? { operationName: request.operationName } : {}),
  });
  // A resolver's refusal (HttpError: scope, filter) is the client's to read; anything else is ours.
  const errors = result.errors?.map((error) =>
    error.originalError === undefined || error.originalError instanceof HttpError
      ? error
      : new GraphQLError('internal error', { path: error.path ?? [], ...(error.nodes ? { nodes: error.nodes } : {}) }),
  );
  return { status: 200, body: errors ? { ...result, errors } : result };
}

export function graphqlRoute(
  app: FastifyInstance,
  options: { db: Database; authenticate: ApiAuthenticator; entities: readonly EntityDef[] },
): void {
  let schema: GraphQLSchema | undefined;
  app.post('/api/v1/graphql', async (request, reply) => {
    const caller = await options.authenticate(request);
    schema ??= buildGraphqlSchema(options.entities);
    const { status, body } = await runGraphql(schema, requestOf(request.body), {
      db: options.db,
      access: caller.access,
      batches: new Map(),
    });
    return reply.status(status).send(body);
  });
}
