import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { communicationEntity } from '../../../../src-shared/entities/content.entity';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCan, useRepos } from '../../../app/crm-context';
import { FileTooLargeError } from '../../../files/file-store';
import { useFiles } from '../../../files/useFiles';
import { Dialog } from '../../../ui/Dialog';
import { FieldInput } from '../../../ui/FieldInput';
import { focusFirstProblem, unreadableInputs } from '../../../ui/focus-problem';
import { fromInputText, mergeProblems, registryProblems, toInputText, UNREADABLE_DATE } from '../../../ui/form-values';
import { errorMessage, toast } from '../../../ui/toasts';
import { defaultStatus, SCREEN_OF, subjectTypeField, TYPE_ICON, typeField, words } from '../communication-labels';
import { useCommunicationDrafts } from '../communications.store';
import { type LogCommunicationInput, logCommunication, type SubjectType } from '../log-communication';
import { acceptFiles, FilePicker, fileKey, useFileDrop } from './FilePicker';
import { SubjectName } from './SubjectName';

export interface LogCommunicationDialogProps {
  /** The record it is about; when left out, the dialog asks. */
  subjectType?: SubjectType;
  subjectId?: string;
  /** 'call' unless given. */
  defaultType?: string;
  open: boolean;
  onClose: () => void;
  /** After saving, with the new communication's id. */
  onLogged?: (id: string) => void;
}

/** Fields typed in the form, in order; `type`, the subject and attachments have their own controls. */
const TEXT_FIELDS = ['direction', 'status', 'subject', 'occurredAt', 'durationMinutes', 'outcome', 'body'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** Problems shown at the type and subject controls. */
const SUBJECT_FIELDS: readonly string[] = ['type', 'subjectId', 'subjectType'];
const QUICK_TYPES = ['call', 'meeting', 'email'] as const;
const fields = communicationEntity.fields as Record<string, FieldSpec>;

function initialTexts(type: string): Record<TextField, string> {
  return {
    direction: 'outbound',
    status: defaultStatus(type, 'outbound'),
    subject: '',
    occurredAt: toInputText(fields.occurredAt as FieldSpec, new Date().toISOString(), {}),
    durationMinutes: '',
    outcome: '',
    body: '',
  };
}

/**
 * Logs a call, meeting or email about a contact, company, lead or deal, with files attached
 * (picked, or dropped anywhere on the dialog). Works offline: the bytes are kept on this device
 * and uploaded when it is online. Reusable: other screens offer "Log a call" with it.
 */
export function LogCommunicationDialog(props: LogCommunicationDialogProps) {
  const kind = words(typeField, props.defaultType ?? 'call').toLowerCase();
  const title = props.subjectId ? `Log ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}` : 'Log communication';
  return (
    <Dialog title={title} open={props.open} onClose={props.onClose} wide>
      {props.open && <LogCommunicationForm {...props} />}
    </Dialog>
  );
}

function LogCommunicationForm({
  subjectType,
  subjectId,
  defaultType = 'call',
  onClose,
  onLogged,
}: LogCommunicationDialogProps) {
  const formId = useId();
  const repos = useRepos();
  const files = useFiles();
  const canCreate = useCan('communication', 'create');
  const fixedSubject = subjectType !== undefined && subjectId !== undefined;
  const place = fixedSubject ? `${subjectType}:${subjectId}` : '';
  const [draft] = useState(() => useCommunicationDrafts.getState().drafts[place]);
  const [type, setType] = useState(draft?.type ?? defaultType);
  const [texts, setTexts] = useState(() => ({ ...initialTexts(defaultType), ...draft?.texts }));
  const [statusTouched, setStatusTouched] = useState(draft?.statusTouched ?? false);
  const [about, setAbout] = useState(() => draft?.about ?? { type: subjectType ?? 'contact', id: subjectId ?? '' });
  const [attached, setAttached] = useState<File[]>(() => [...(draft?.attached ?? [])]);
  const keepDraft = useCommunicationDrafts((s) => s.keep);
  const dropDraft = useCommunicationDrafts((s) => s.drop);
  // Kept once something worth keeping is typed or attached; the rest are defaults or quick picks.
  const worthKeeping =
    attached.length > 0 || (['subject', 'durationMinutes', 'outcome', 'body'] as const).some((f) => texts[f] !== '');
  useEffect(() => {
    if (worthKeeping) keepDraft(place, { type, texts, statusTouched, about, attached });
  }, [worthKeeping, keepDraft, place, type, texts, statusTouched, about, attached]);
  const [fileProblem, setFileProblem] = useState<string>();
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a refused submit; the effect runs once its problems are rendered (aria-invalid set).
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) focusFirstProblem(formRef.current);
  }, [refused]);

  /** The status follows type and direction until the user picks one. */
  const retype = (nextType: string, direction: string) => {
    setType(nextType);
    if (!statusTouched) setTexts((t) => ({ ...t, direction, status: defaultStatus(nextType, direction) }));
  };

  const addFiles = (list: FileList) => {
    const { accepted, refused } = acceptFiles(list);
    setFileProblem(refused.length > 0 ? refused.join('; ') : undefined);
    if (accepted.length > 0)
      setAttached((current) => {
        const keys = new Set(current.map(fileKey));
        return [...current, ...accepted.filter((f) => !keys.has(fileKey(f)))];
      });
  };
  const drop = useFileDrop(addFiles);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const unreadable = unreadableInputs(formRef.current);
    for (const name of TEXT_FIELDS) {
      const text = unreadable.has(`${formId}-${name}`) ? UNREADABLE_DATE : texts[name];
      const parsed = fromInputText(fields[name] as FieldSpec, text, {});
      if (parsed.problem) found[name] = parsed.problem;
      else if (parsed.value !== undefined) values[name] = parsed.value;
    }
    if (!values.occurredAt && !found.occurredAt) found.occurredAt = 'is required';
    // As logCommunication says it, not the registry's "must not be empty" in the same round.
    if (about.id.trim() === '') found.subjectId = 'is required: choose the record this is about';
    const input = { ...values, type, subjectType: about.type, subjectId: about.id } as LogCommunicationInput;
    // A refused form names every problem at once (the registry's with the rest of the record), each
    // at its field, and focus goes to the first: it stayed on the submit button, the problem above.
    const refuse = (first: Record<string, string>) => {
      const isShown = (f: string) => (TEXT_FIELDS as readonly string[]).includes(f) || SUBJECT_FIELDS.includes(f);
      const others = registryProblems(communicationEntity, {}, { ...input }, []);
      const merged = mergeProblems(first, others, isShown);
      if (merged.subjectId !== undefined && merged.subjectType !== undefined) delete merged.subjectType;
      setProblems(merged);
      setRefused((n) => n + 1);
    };
    setProblems({});
    setFormError(undefined);
    if (Object.keys(found).length > 0) return refuse(found);
    setSaving(true);
    try {
      const { communication, attachments } = await logCommunication(repos, files.store, input, attached);
      files.kick();
      const label = words(typeField, type);
      toast({
        tone: 'success',
        message:
          attachments.length > 0
            ? `${label} logged with ${attachments.length} ${attachments.length === 1 ? 'file' : 'files'}.`
            : `${label} logged.`,
      });
      dropDraft(place);
      onLogged?.(communication.id);
      onClose();
    } catch (error) {
      if (error instanceof FileTooLargeError) setFileProblem(error.message);
      else if (error instanceof ValidationError && error.entity === 'communicationAttachment') {
        const file = attached[error.index ?? 0];
        setFileProblem(
          `${file ? `"${file.name}": ` : ''}${error.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
        );
      } else if (error instanceof ValidationError) {
        const byField: Record<string, string> = {};
        const elsewhere: string[] = [];
        for (const p of error.problems) {
          if ((TEXT_FIELDS as readonly string[]).includes(p.field) || SUBJECT_FIELDS.includes(p.field))
            byField[p.field] ??= p.problem;
          else elsewhere.push(`${fields[p.field]?.label ?? p.field} ${p.problem}`);
        }
        refuse(byField);
        if (elsewhere.length > 0) setFormError(elsewhere.join('; '));
      } else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const row = (name: TextField, wide = false) => {
    const field = fields[name] as FieldSpec;
    const inputId = `${formId}-${name}`;
    const problem = problems[name];
    return (
      <div key={name} className={`form-row${wide ? ' wide' : ''}`}>
        <label htmlFor={inputId}>{field.label ?? name}</label>
        <FieldInput
          id={inputId}
          field={field}
          text={texts[name]}
          onText={(text) => {
            if (name === 'status') setStatusTouched(true);
            if (name === 'direction') retype(type, text);
            else setTexts((t) => ({ ...t, [name]: text }));
          }}
          invalid={problem !== undefined}
          describedBy={problem ? `${inputId}-problem` : undefined}
        />
        {problem && (
          <span id={`${inputId}-problem`} className="field-problem" role="alert">
            {field.label ?? name} {problem}
          </span>
        )}
      </div>
    );
  };

  if (!canCreate) return <p className="empty">Your role may not log communications.</p>;
  const subjectProblem = problems.subjectId ?? problems.subjectType;
  return (
    <form
      ref={formRef}
      className={`record-form comm-log${drop.over ? ' dropping' : ''}`}
      onSubmit={submit}
      noValidate
      aria-label="Log communication"
      {...drop.handlers}
    >
      <div className="comm-type-chips" role="radiogroup" aria-label="Type">
        {[
          ...QUICK_TYPES,
          ...((typeField.values ?? []) as string[]).filter((t) => !(QUICK_TYPES as readonly string[]).includes(t)),
        ].map((value) => (
          <label key={value} className={value === type ? 'chip selected' : 'chip'}>
            <input
              type="radio"
              name={`${formId}-type`}
              value={value}
              checked={value === type}
              onChange={() => retype(value, texts.direction)}
            />
            <span aria-hidden="true">{TYPE_ICON[value] ?? '•'}</span> {words(typeField, value)}
          </label>
        ))}
      </div>
      <div className="form-grid">
        <div className="form-row wide comm-about">
          <label htmlFor={`${formId}-subject-record`}>About</label>
          {fixedSubject ? (
            <p className="comm-about-fixed" id={`${formId}-subject-record`}>
              <span className="badge">{words(subjectTypeField, subjectType)}</span>{' '}
              <strong>
                <SubjectName entity={subjectType} id={subjectId} />
              </strong>
            </p>
          ) : (
            <div className="comm-about-pick">
              <select
                aria-label="About a"
                value={about.type}
                onChange={(e) => {
                  setAbout({ type: e.target.value as SubjectType, id: '' });
                  setProblems(({ subjectId: _id, subjectType: _type, ...rest }) => rest);
                }}
              >
                {Object.keys(SCREEN_OF).map((kind) => (
                  <option key={kind} value={kind}>
                    {words(subjectTypeField, kind)}
                  </option>
                ))}
              </select>
              <FieldInput
                id={`${formId}-subject-record`}
                field={{ type: 'ref', ref: about.type, label: words(subjectTypeField, about.type) }}
                text={about.id}
                onText={(id) => {
                  setAbout((a) => ({ ...a, id }));
                  setProblems(({ subjectId: _id, subjectType: _type, ...rest }) => rest);
                }}
                invalid={subjectProblem !== undefined}
                describedBy={subjectProblem ? `${formId}-about-problem` : undefined}
              />
            </div>
          )}
          {subjectProblem && (
            <span id={`${formId}-about-problem`} className="field-problem" role="alert">
              Record {subjectProblem}
            </span>
          )}
        </div>
        {row('subject', true)}
        {row('occurredAt')}
        {row('durationMinutes')}
        {row('direction')}
        {row('status')}
        {row('outcome', true)}
        {row('body', true)}
        <FilePicker
          files={attached}
          onAdd={addFiles}
          onRemove={(index) => setAttached((current) => current.filter((_, i) => i !== index))}
          problem={fileProblem}
        />
      </div>
      {problems.type && (
        <p className="form-error" role="alert">
          Type {problems.type}
        </p>
      )}
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            dropDraft(place);
            onClose();
          }}
        >
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : `Log ${words(typeField, type).toLowerCase()}`}
        </button>
      </div>
    </form>
  );
}
