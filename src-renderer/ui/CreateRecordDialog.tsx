import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { EntityRepository } from '../db/entity-repository';
import { Dialog } from './Dialog';
import { focusFirstProblem, unreadableInputs } from './focus-problem';
import { newDraftPlace } from './form-drafts.store';
import { unreadableProblem } from './form-values';
import { RecordForm } from './RecordForm';
import { toast } from './toasts';

/** A failed save as the form shows it: a message per field it has an input for, the rest together. */
export interface FieldProblems {
  readonly byField: Readonly<Record<string, string>>;
  readonly other?: string;
}

/**
 * A problem per input of the form whose text the browser could not read (a date typed as 31/02
 * has the value "", the same as no date), keyed by the field its id names (`${formId}-<field>`)
 * and said with its label, as the form's other problems are.
 */
function unreadableProblems(form: HTMLFormElement | null, formId: string): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const id of unreadableInputs(form)) {
    if (!form || !id.startsWith(`${formId}-`)) continue;
    const label = form.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent ?? 'This field';
    const type = form.querySelector(`#${CSS.escape(id)}`)?.getAttribute('type') ?? 'date';
    byField[id.slice(formId.length + 1)] = `${label} ${unreadableProblem(type)}`;
  }
  return byField;
}

/** The one way a create dialog ends well: closed, a success toast, then the caller's next step. */
function created(onClose: () => void, message: string, next?: () => void): void {
  onClose();
  toast({ tone: 'success', message });
  next?.();
}

/** A list's "New …" dialog: the entity's form, validated by the registry; the new record opens. */
export function CreateRecordDialog({
  entity,
  repo,
  fields,
  initial,
  create,
  open,
  onClose,
  onCreated,
  place,
}: {
  entity: EntityDef;
  repo: EntityRepository<EntityDef>;
  /** The form's fields; default: every editable field. */
  fields?: readonly string[];
  /** Values the form starts with (e.g. the parent's id). */
  initial?: Record<string, unknown>;
  /** Creates the record and returns its id; default: the repository's create. */
  create?: (values: Record<string, unknown>) => Promise<string>;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
  /** Where it was opened, which keeps its own draft; default: the values it starts with (e.g. a company's new contact). */
  place?: string;
}) {
  const label = entity.label;
  return (
    <Dialog title={`New ${label.toLowerCase()}`} open={open} onClose={onClose}>
      <RecordForm
        entity={entity}
        fields={fields}
        initial={initial}
        submitLabel={`Create ${label.toLowerCase()}`}
        draftPlace={newDraftPlace(entity.name, place ?? JSON.stringify(initial ?? {}))}
        onCancel={onClose}
        onSubmit={async (values) => {
          const id = create ? await create(values) : String((await repo.create(values as never)).id);
          created(onClose, `${label} created.`, () => onCreated(id));
        }}
      />
    </Dialog>
  );
}

/** What a create form's own inputs need from the form around them. */
export interface CreateFormControls {
  /** A prefix for the inputs' ids, unique to this form. */
  readonly formId: string;
  readonly problems: FieldProblems;
  /** A field's problem as an alert, with the id its input's aria-describedby names; or nothing. */
  problem: (field: string) => ReactNode;
  /** aria-invalid and aria-describedby for a field's input. */
  ariaOf: (field: string) => { 'aria-invalid'?: true; 'aria-describedby'?: string };
}

export interface CreateFormProps<T> {
  /** The form's accessible name, e.g. "Task form". */
  label: string;
  /** The submit button's text, and its text while saving. */
  submitLabel: string;
  savingLabel: string;
  /** Saves the record from the form's current values; throws (e.g. a ValidationError) when it cannot. */
  create: () => Promise<T>;
  /** A failed `create` as messages by field. */
  problemsOf: (error: unknown) => FieldProblems;
  /** The success toast. */
  successMessage: (record: T) => string;
  onClose: () => void;
  /** Called with the new record, after the dialog closed. */
  onCreated?: (record: T) => void;
  /** Ctrl/Cmd+Enter saves from any input (for forms built around a long text). */
  submitOnCtrlEnter?: boolean;
  /** Shown before the buttons (e.g. the keyboard hint). */
  hint?: ReactNode;
  children: (controls: CreateFormControls) => ReactNode;
}

/**
 * A create form that is not the registry's generic one (its own inputs, labels and layout), with
 * the open/validate/submit shape every create dialog shares: one save at a time, problems shown
 * beside their inputs and announced, Cancel, and on success the same ending as CreateRecordDialog.
 * Render it inside a Dialog, which mounts it afresh on every open.
 */
export function CreateForm<T>({
  label,
  submitLabel,
  savingLabel,
  create,
  problemsOf,
  successMessage,
  onClose,
  onCreated,
  submitOnCtrlEnter = false,
  hint,
  children,
}: CreateFormProps<T>) {
  const formId = useId();
  const [problems, setProblems] = useState<FieldProblems>({ byField: {} });
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a refused submit; the effect runs once its problems are rendered (aria-invalid set).
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) focusFirstProblem(formRef.current);
  }, [refused]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    const unreadable = unreadableProblems(formRef.current, formId);
    if (Object.keys(unreadable).length > 0) {
      setProblems({ byField: unreadable });
      setRefused((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      const record = await create();
      created(onClose, successMessage(record), () => onCreated?.(record));
    } catch (error) {
      const found = problemsOf(error);
      setProblems(found);
      // Focus stayed on the submit button, the problem out of sight above it.
      if (Object.keys(found.byField).length > 0) setRefused((n) => n + 1);
    } finally {
      setSaving(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };
  const problemId = (field: string) => `${formId}-${field}-problem`;
  const controls: CreateFormControls = {
    formId,
    problems,
    problem: (field) =>
      problems.byField[field] ? (
        <span id={problemId(field)} className="field-problem" role="alert">
          {problems.byField[field]}
        </span>
      ) : null,
    ariaOf: (field) => (problems.byField[field] ? { 'aria-invalid': true, 'aria-describedby': problemId(field) } : {}),
  };

  return (
    <form
      ref={formRef}
      className="record-form"
      onSubmit={submit}
      onKeyDown={submitOnCtrlEnter ? onKeyDown : undefined}
      noValidate
      aria-label={label}
    >
      <div className="form-grid">{children(controls)}</div>
      {problems.other && (
        <p className="form-error" role="alert">
          {problems.other}
        </p>
      )}
      <div className="form-actions">
        {hint}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? savingLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}
