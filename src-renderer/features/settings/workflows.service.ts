import { workflowProblems } from '../../../src-shared/automation/workflow-definition';
import type { WorkflowRun } from '../../../src-shared/automation/workflow-run';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { refuse, type Values } from './settings-errors';
import type { WorkflowDefinition } from './workflow-draft';

/** The rules part of a workflow as edited: JSON texts for its conditions and actions. */
export interface WorkflowRules {
  conditions: string;
  actions: string;
}

function parse(field: 'conditions' | 'actions', source: string): unknown {
  if (source.trim() === '') return undefined;
  try {
    return JSON.parse(source);
  } catch (error) {
    refuse('workflow', field, `must be JSON (${(error as Error).message})`);
  }
}

/** Conditions (an object, or nothing) and actions (a list of objects with a `type`), parsed and checked. */
export function parseRules(rules: WorkflowRules): { conditions: unknown; actions: unknown[] } {
  const conditions = parse('conditions', rules.conditions);
  const actions = parse('actions', rules.actions) ?? [];
  assertRules({ conditions, actions });
  return { conditions, actions: actions as unknown[] };
}

/** Creates a workflow (inactive, no actions yet: the rules are edited next). */
export async function createWorkflow(repos: Repositories, values: Values) {
  return repos.workflow.create({ actions: [], ...values, active: false } as never);
}

export async function saveWorkflowRules(repos: Repositories, id: string, rules: WorkflowRules) {
  const { conditions, actions } = parseRules(rules);
  const current = await repos.workflow.require(id);
  if (current.active && actions.length === 0)
    refuse('workflow', 'actions', 'an active workflow needs at least one action');
  return repos.workflow.update(id, { conditions: conditions ?? null, actions } as never);
}

/**
 * Saves a definition from the workflow editor: checked by the shared validation first (the one the
 * server runs on push), every problem named by its path; then created (paused) or updated. Each save
 * is a new version: the workflow's `updatedAt`, which runs record, with its changes in the audit trail.
 */
export async function saveWorkflowDefinition(
  repos: Repositories,
  id: string | undefined,
  definition: WorkflowDefinition,
): Promise<{ id: string }> {
  const problems = workflowProblems({ ...definition, conditions: definition.conditions ?? undefined });
  if (problems.length > 0) throw new ValidationError('workflow', problems);
  const values = {
    ...definition,
    description: definition.description ?? null,
    schedule: definition.schedule ?? null,
  };
  if (id === undefined) {
    const { description, schedule, ...created } = values;
    return repos.workflow.create({
      ...created,
      ...(description ? { description } : {}),
      ...(schedule ? { schedule } : {}),
      active: false,
    } as never);
  }
  return repos.workflow.update(id, values as never);
}

/** Activates (needs at least one action) or pauses a workflow. */
export async function setWorkflowActive(repos: Repositories, id: string, active: boolean) {
  const current = await repos.workflow.require(id);
  if (active && (!Array.isArray(current.actions) || current.actions.length === 0)) {
    refuse('workflow', 'actions', 'needs at least one action before the workflow can be active');
  }
  return repos.workflow.update(id, { active });
}

function assertRules(values: Values): void {
  const { conditions, actions } = values;
  if (
    conditions !== undefined &&
    conditions !== null &&
    (typeof conditions !== 'object' || Array.isArray(conditions))
  ) {
    refuse('workflow', 'conditions', 'must be an object, e.g. { "all": [ … ] }');
  }
  if (actions === undefined || actions === null) return;
  if (!Array.isArray(actions)) refuse('workflow', 'actions', 'must be a list of actions');
  actions.forEach((action, i) => {
    if (typeof action !== 'object' || action === null || typeof (action as Values).type !== 'string') {
      refuse('workflow', `actions[${i}]`, 'must be an object with a "type"');
    }
  });
}

/** Saves the edit form of a workflow (its JSON rules already parsed by the form), rules checked. */
export async function saveWorkflow(repos: Repositories, id: string, values: Values) {
  assertRules(values);
  const current = await repos.workflow.require(id);
  const actions = 'actions' in values ? values.actions : current.actions;
  if (current.active && (!Array.isArray(actions) || actions.length === 0)) {
    refuse('workflow', 'actions', 'an active workflow needs at least one action');
  }
  // An emptied actions box means no actions (the field itself is required).
  return repos.workflow.update(id, { ...values, ...(values.actions === null ? { actions: [] } : {}) } as never);
}

/*
 * The server's run log (sync-server/src/automation/automation.routes.ts): server-only data, read
 * through @tanstack/react-query (components/WorkflowRunLog.tsx), never stored in the local database.
 * Calls go through the session's authorizedFetch, as the audit trail's do.
 */

export type { WorkflowRun, WorkflowRunAction } from '../../../src-shared/automation/workflow-run';

export interface AutomationJob {
  id: string;
  workflowId: string;
  entityKind: string;
  recordId: string;
  event: string;
  status: string;
  attempts: number;
  lastError: string | null;
  runAfter: string;
}

/** The server's refusal: its message and the field at fault. */
export class AutomationServerError extends Error {
  override readonly name = 'AutomationServerError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** react-query keys: per server and workflow. */
export const workflowRunKeys = {
  all: ['workflow-runs'] as const,
  runs: (serverUrl: string, workflowId: string) => [...workflowRunKeys.all, serverUrl, 'runs', workflowId] as const,
  failedJobs: (serverUrl: string) => [...workflowRunKeys.all, serverUrl, 'failed-jobs'] as const,
};

async function call<T>(
  fetchFn: typeof fetch,
  serverUrl: string,
  path: string,
  init: RequestInit,
  isAnswer: (body: unknown) => body is T,
): Promise<T> {
  const response = await fetchFn(`${serverUrl.replace(/\/+$/, '')}${path}`, {
    ...init,
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body ?? {}) as { error?: unknown; field?: unknown };
    throw new AutomationServerError(
      response.status,
      typeof error.error === 'string' ? error.error : `the server answered ${response.status}`,
      typeof error.field === 'string' ? error.field : undefined,
    );
  }
  if (!isAnswer(body)) throw new AutomationServerError(response.status, 'the server answered something unexpected');
  return body;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const listOf =
  <K extends string>(key: K) =>
  (body: unknown): body is Record<K, unknown[]> =>
    isObject(body) && Array.isArray(body[key]) && (body[key] as unknown[]).every(isObject);

export async function fetchWorkflowRuns(
  fetchFn: typeof fetch,
  serverUrl: string,
  workflowId: string,
  limit = 50,
  signal?: AbortSignal,
): Promise<WorkflowRun[]> {
  const params = new URLSearchParams({ workflowId, limit: String(limit) });
  const body = await call(fetchFn, serverUrl, `/automation/runs?${params}`, signal ? { signal } : {}, listOf('runs'));
  return body.runs as WorkflowRun[];
}

/** Failed jobs of every workflow (the server lists them organisation-wide). */
export async function fetchFailedJobs(fetchFn: typeof fetch, serverUrl: string, signal?: AbortSignal) {
  const body = await call(
    fetchFn,
    serverUrl,
    '/automation/jobs?status=failed',
    signal ? { signal } : {},
    listOf('jobs'),
  );
  return body.jobs as AutomationJob[];
}

export async function retryJob(fetchFn: typeof fetch, serverUrl: string, jobId: string): Promise<void> {
  await call(fetchFn, serverUrl, `/automation/jobs/${encodeURIComponent(jobId)}/retry`, { method: 'POST' }, isObject);
}

/** Runs the workflow on one record now; the run as logged (or undefined if another worker took it first). */
export async function runWorkflowNow(
  fetchFn: typeof fetch,
  serverUrl: string,
  workflowId: string,
  recordId: string,
): Promise<WorkflowRun | undefined> {
  const trimmed = recordId.trim();
  if (trimmed === '') throw new AutomationServerError(400, 'choose a record to run the workflow on', 'recordId');
  const body = await call(
    fetchFn,
    serverUrl,
    `/automation/workflows/${encodeURIComponent(workflowId)}/run`,
    { method: 'POST', body: JSON.stringify({ recordId: trimmed }) },
    isObject,
  );
  return isObject(body.run) ? (body.run as unknown as WorkflowRun) : undefined;
}
