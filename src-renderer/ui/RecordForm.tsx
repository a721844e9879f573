import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../src-shared/schema/field';
import type { CustomFieldDef } from '../../src-shared/schema/validate';
import { ValidationError } from '../../src-shared/schema/validation-error';
import { useCrm } from '../app/crm-context';
import { customFieldDefs } from '../db/custom-field-defs';
import { FieldInput } from './FieldInput';
import { focusFirstProblem, unreadableInputs } from './focus-problem';
import { draftOf, staleDraftNotice, useRecordFormDrafts } from './form-drafts.store';
import {
  fromInputText,
  mergeProblems,
  problemText,
  registryProblems,
  toInputText,
  UNREADABLE_DATE,
} from './form-values';
import { formatFullDateTime } from './format';
import { errorMessage } from './toasts';

type Values = Record<string, unknown>;

const NOT_EDITABLE = new Set<FieldSpec['type']>(['json']);

/** Every field a person fills in, in declaration order (json blobs and polymorphic refs are the app's business). */
export function editableFields(entity: EntityDef): string[] {
  return Object.entries(entity.fields)
    .filter(([, f]) => !NOT_EDITABLE.has(f.type) && f.ref !== '*')
    .map(([name]) => name);
}

export function customFieldSpec(def: CustomFieldDef): FieldSpec {
  return {
    type: def.fieldType as FieldSpec['type'],
    label: def.label,
    required: def.required,
    ...(def.options ? { values: def.options } : {}),
  };
}

/** The active custom field definitions of an entity, ordered for forms and lists; re-read when they change. */
export function useCustomFields(entity: EntityDef): readonly (CustomFieldDef & { position?: number })[] {
  const { db } = useCrm();
  const [defs, setDefs] = useState<readonly CustomFieldDef[]>([]);
  useEffect(() => {
    if (!entity.customizable || !db.rx.collections.settings) return;
    const reload = () =>
      void customFieldDefs(db.rx, entity.name).then((found) =>
        setDefs(
          (found ?? [])
            .filter((d) => d.active)
            .sort(
              (a, b) => ((a as { position?: number }).position ?? 0) - ((b as { position?: number }).position ?? 0),
            ),
        ),
      );
    reload();
    const subscription = db.rx.settings
      .find({ selector: { kind: 'customField' }, index: ['kind', 'isDeleted', 'newest'] })
      .$.subscribe(reload);
    return () => subscription.unsubscribe();
  }, [db, entity]);
  return defs;
}

interface RecordFormProps {
  entity: EntityDef;
  /** Declared fields to show, in order (default: every editable field). */
  fields?: readonly string[];
  /** The stored record being edited, or defaults for a new one. */
  initial?: Values;
  submitLabel: string;
  /**
   * Saves. Gets the stored values (a field the user emptied is null, so an update clears it) and
   * throws ValidationError to have each problem shown at its field.
   */
  onSubmit: (values: Values) => Promise<unknown>;
  onCancel?: () => void;
  /**
   * Where what is typed is kept when the form goes away unsaved (its dialog closed with Escape or ×),
   * to come back when a form of the same place opens (form-drafts.store); Cancel and a save end it.
   */
  draftPlace?: string;
  /**
   * Fields filled from another as it is typed (a custom field's key from its label), until the
   * user types something else in them.
   */
  suggest?: readonly FieldSuggestion[];
}

export interface FieldSuggestion {
  field: string;
  from: string;
  make: (text: string) => string;
}

/**
 * A form generated from the registry: an input per field, the organisation's custom fields after
 * them, and the registry's validation messages next to the field they name. Nothing is saved until
 * the repository accepted the whole record.
 */
export function RecordForm({
  entity,
  fields,
  initial = {},
  submitLabel,
  onSubmit,
  onCancel,
  draftPlace,
  suggest = [],
}: RecordFormProps) {
  const formId = useId();
  const names = useMemo(() => fields ?? editableFields(entity), [fields, entity]);
  const customDefs = useCustomFields(entity);
  const initialCustom = (initial.customFields ?? {}) as Values;
  // The record's inputs as the form opened, and a kept draft's changes over them.
  const [opened] = useState(() => ({
    texts: Object.fromEntries(
      names.map((name) => [name, toInputText(entity.allFields[name] as FieldSpec, initial[name], initial)]),
    ),
    draft: draftPlace === undefined ? undefined : useRecordFormDrafts.getState().drafts[draftPlace],
  }));
  const [texts, setTexts] = useState<Record<string, string>>(() => ({ ...opened.texts, ...opened.draft?.texts }));
  const [customTexts, setCustomTexts] = useState<Record<string, string>>(() => ({ ...opened.draft?.customTexts }));
  const staleNotice = staleDraftNotice(opened.draft, initial.updatedAt, formatFullDateTime);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a submit that found problems; the effect runs once they are rendered (aria-invalid set).
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) focusFirstProblem(formRef.current);
  }, [refused]);

  const initialCustomText = (def: CustomFieldDef) => toInputText(customFieldSpec(def), initialCustom[def.key], {});
  const customText = (def: CustomFieldDef) => customTexts[def.key] ?? initialCustomText(def);

  const keepDraft = (nextTexts: Record<string, string>, nextCustom: Record<string, string>) => {
    if (draftPlace === undefined) return;
    const initialCustomTexts = Object.fromEntries(customDefs.map((def) => [def.key, initialCustomText(def)]));
    const base = opened.draft ? opened.draft.base : (initial.updatedAt as string | undefined);
    const draft = draftOf(
      { texts: opened.texts, customTexts: initialCustomTexts },
      { texts: nextTexts, customTexts: nextCustom },
      base,
      new Date(),
    );
    const drafts = useRecordFormDrafts.getState();
    if (draft) drafts.keep(draftPlace, draft);
    else drafts.drop(draftPlace);
  };
  const endDraft = () => {
    if (draftPlace !== undefined) useRecordFormDrafts.getState().drop(draftPlace);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const values: Values = {};
    const unreadable = unreadableInputs(formRef.current);
    const textOf = (key: string, text: string) => (unreadable.has(`${formId}-${key}`) ? UNREADABLE_DATE : text);
    for (const name of names) {
      const field = entity.allFields[name] as FieldSpec;
      const parsed = fromInputText(field, textOf(name, texts[name] ?? ''), { ...initial, ...values, ...texts });
      if (parsed.problem) found[name] = parsed.problem;
      else if (parsed.value !== undefined) values[name] = parsed.value;
      else if (initial[name] !== undefined) values[name] = null;
    }
    if (customDefs.length > 0) {
      const custom: Values = { ...initialCustom };
      for (const def of customDefs) {
        const parsed = fromInputText(customFieldSpec(def), textOf(`customFields.${def.key}`, customText(def)), {});
        if (parsed.problem) found[`customFields.${def.key}`] = parsed.problem;
        else if (
          parsed.value === undefined ||
          (def.fieldType === 'boolean' && parsed.value === false && !(def.key in initialCustom))
        )
          delete custom[def.key];
        else custom[def.key] = parsed.value;
      }
      values.customFields =
        Object.keys(custom).length > 0 ? custom : initial.customFields === undefined ? undefined : null;
    }
    setFormError(undefined);
    const isShown = (field: string) => names.includes(field) || field.startsWith('customFields.');
    if (Object.keys(found).length > 0) {
      // Refused for text that is not a value: name the registry's problems with the rest too, so
      // three mistakes are shown at once, not a number first and a missing name on the next try.
      setProblems(mergeProblems(found, registryProblems(entity, initial, values, customDefs), isShown));
      setRefused((n) => n + 1);
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      await onSubmit(values);
      endDraft();
    } catch (error) {
      if (error instanceof ValidationError) {
        const byField: Record<string, string> = {};
        const elsewhere: string[] = [];
        for (const p of error.problems) {
          if (isShown(p.field)) byField[p.field] ??= p.problem;
          else elsewhere.push(`${p.field} ${p.problem}`);
        }
        // The repository stops at the schema: with its problems, the rules' and the custom
        // fields' (a bad key, a required custom field) in the same round.
        const more = error.entity === entity.name ? registryProblems(entity, initial, values, customDefs) : [];
        Object.assign(byField, mergeProblems(byField, more, isShown));
        setProblems(byField);
        if (Object.keys(byField).length > 0) setRefused((n) => n + 1);
        if (elsewhere.length > 0) setFormError(elsewhere.join('; '));
      } else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const row = (key: string, field: FieldSpec, text: string, onText: (t: string) => void) => {
    const inputId = `${formId}-${key}`;
    const problem = problems[key];
    return (
      <div key={key} className={`form-row${field.type === 'text' ? ' wide' : ''}`}>
        <label htmlFor={inputId}>
          {field.label ?? key}
          {field.required && field.default === undefined && <span aria-hidden="true"> *</span>}
        </label>
        <FieldInput
          id={inputId}
          field={field}
          text={text}
          onText={onText}
          invalid={problem !== undefined}
          describedBy={problem ? `${inputId}-problem` : undefined}
        />
        {problem && (
          <span id={`${inputId}-problem`} className="field-problem" role="alert">
            {problemText(field.label ?? key, problem)}
          </span>
        )}
      </div>
    );
  };

  return (
    <form ref={formRef} className="record-form" onSubmit={submit} noValidate aria-label={`${entity.label} form`}>
      {staleNotice && (
        <p className="form-notice" role="status">
          {staleNotice}
        </p>
      )}
      <div className="form-grid">
        {names.map((name) =>
          row(name, entity.allFields[name] as FieldSpec, texts[name] ?? '', (t) => {
            const next = { ...texts, [name]: t };
            for (const { field, from, make } of suggest) {
              const current = texts[field] ?? '';
              if (from === name && (current === '' || current === make(texts[from] ?? ''))) next[field] = make(t);
            }
            setTexts(next);
            keepDraft(next, customTexts);
          }),
        )}
        {customDefs.map((def) =>
          row(`customFields.${def.key}`, customFieldSpec(def), customText(def), (t) => {
            const next = { ...customTexts, [def.key]: t };
            setCustomTexts(next);
            keepDraft(texts, next);
          }),
        )}
      </div>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button
            type="button"
            onClick={() => {
              endDraft();
              onCancel();
            }}
          >
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
