import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';
import { SUBJECT_TYPES } from './enums';

export const workflowEntity = defineEntity({
  name: 'workflow',
  label: 'Workflow',
  plural: 'Workflows',
  description: 'An automation: when a trigger fires on a kind of record and conditions hold, run actions.',
  table: 'workflows',
  collection: 'settings',
  // 1: scoreCrossed and dateReached triggers (automation/workflow-triggers.ts, TRIGGER_TYPES).
  version: 1,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    description: f.text({ maxLength: 2000, label: 'Description' }),
    entityKind: f.enum(['contact', 'company', 'lead', 'deal', 'task', 'communication'], {
      required: true,
      label: 'Applies to',
    }),
    trigger: f.enum(
      [
        'recordCreated',
        'recordUpdated',
        'fieldChanged',
        'stageChanged',
        'scoreCrossed',
        'dateReached',
        'scheduled',
        'manual',
      ],
      {
        required: true,
        label: 'Trigger',
      },
    ),
    conditions: f.json({ label: 'Conditions' }),
    actions: f.json({ required: true, label: 'Actions' }),
    schedule: f.string({ maxLength: 100, label: 'Schedule (cron)' }),
    active: f.boolean({ required: true, default: false, label: 'Active' }),
    lastRunAt: f.datetime({ label: 'Last run' }),
    runCount: f.integer({ min: 0, max: 1_000_000_000, label: 'Runs' }),
  },
  indexes: [['isDeleted', 'newest']],
  rules: [
    (r) =>
      r.trigger === 'scheduled' && r.schedule === undefined
        ? [{ field: 'schedule', problem: 'is required for a scheduled workflow' }]
        : [],
  ],
});

export const taskEntity = defineEntity({
  name: 'task',
  label: 'Task',
  plural: 'Tasks',
  description: 'A to-do assigned to someone, usually about a record.',
  table: 'tasks',
  collection: 'tasks',
  // 2: an index on the owner alone (the All view's default, my tasks of any status).
  version: 2,
  owner: 'assigned',
  display: ['title'],
  fields: {
    title: f.string({ required: true, maxLength: 200, label: 'Title' }),
    description: f.text({ maxLength: 5000, label: 'Description' }),
    type: f.enum(['call', 'email', 'meeting', 'todo', 'followUp', 'demo'], {
      required: true,
      default: 'todo',
      label: 'Type',
    }),
    status: f.enum(['open', 'inProgress', 'waiting', 'completed', 'cancelled'], {
      required: true,
      default: 'open',
      label: 'Status',
    }),
    priority: f.enum(['low', 'normal', 'high', 'urgent'], { required: true, default: 'normal', label: 'Priority' }),
    dueAt: f.datetime({ label: 'Due' }),
    reminderAt: f.datetime({ label: 'Reminder' }),
    completedAt: f.datetime({ label: 'Completed' }),
    subjectType: f.enum(SUBJECT_TYPES, { label: 'About' }),
    subjectId: f.ref('*', { label: 'Record' }),
    workflowId: f.ref('workflow', { label: 'Created by workflow' }),
  },
  indexes: [
    ['ownerId', 'status', 'isDeleted', 'newest'],
    // My tasks of any status, the All view's default: a read of one page (TasksScreen.tsx).
    ['ownerId', 'isDeleted', 'newest'],
    ['status', 'isDeleted', 'newest'],
    ['isDeleted', 'newest'],
    // A record's timeline, and its open tasks (optional field: equality lookups only).
    ['subjectId', 'isDeleted', 'newest'],
    ['subjectId', 'status', 'isDeleted', 'newest'],
  ],
  rules: [
    (r) =>
      r.status === 'completed' && r.completedAt === undefined
        ? [{ field: 'completedAt', problem: 'is required when the task is completed' }]
        : [],
    (r) =>
      (r.subjectType === undefined) !== (r.subjectId === undefined)
        ? [{ field: 'subjectId', problem: 'subjectType and subjectId go together' }]
        : [],
  ],
});

export const noteEntity = defineEntity({
  name: 'note',
  label: 'Note',
  plural: 'Notes',
  description: 'A note or meeting record on a contact, company, lead or deal.',
  table: 'notes',
  collection: 'activities',
  // 1: an index on noteType (the notes list's filter).
  version: 1,
  owner: 'creator',
  display: ['title'],
  fields: {
    subjectType: f.enum(SUBJECT_TYPES, { required: true, label: 'About' }),
    subjectId: f.ref('*', { required: true, label: 'Record' }),
    title: f.string({ maxLength: 200, label: 'Title' }),
    body: f.text({ required: true, maxLength: 50_000, pii: true, label: 'Note' }),
    noteType: f.enum(['general', 'meeting', 'call', 'internal'], { required: true, default: 'general', label: 'Type' }),
    pinned: f.boolean({ required: true, default: false, label: 'Pinned' }),
  },
  indexes: [
    ['subjectId', 'isDeleted', 'newest'],
    // The list's type filter, a read of one page (NotesScreen.tsx).
    ['noteType', 'isDeleted', 'newest'],
  ],
});
