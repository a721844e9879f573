import { createContext, type InputHTMLAttributes, type ReactNode, useContext, useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useRepos } from '../../../app/crm-context';
import { repoOf } from '../../../ui/useRecordName';

/**
 * The workflow editor's labelled inputs: each names the definition path it edits (e.g.
 * `actions[0].title`), and shows the problem found at that path beside it, tied to the input by
 * aria-describedby and aria-invalid, so a screen reader reads the problem with the field.
 */

/** Problems by path, and the form's id prefix (two editors never share input ids). */
export const ProblemsContext = createContext<{ problems: Readonly<Record<string, string>>; formId: string }>({
  problems: {},
  formId: 'wf',
});

export interface InputProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

const idOf = (formId: string, path: string) => `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function Field({
  label,
  path,
  wide,
  children,
}: {
  label: string;
  path: string;
  wide?: boolean;
  children: (props: InputProps) => ReactNode;
}) {
  const { problems, formId } = useContext(ProblemsContext);
  const id = idOf(formId, path);
  const problem = problems[path];
  return (
    <div className={wide ? 'form-row wide' : 'form-row'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': problem !== undefined,
        ...(problem ? { 'aria-describedby': `${id}-problem` } : {}),
      })}
      {problem && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {label} {problem}
        </span>
      )}
    </div>
  );
}

/** A select over fixed options: [value, label] pairs, with an optional empty first choice. */
export function Choice({
  props,
  value,
  options,
  empty,
  onChange,
}: {
  props: InputProps;
  value: string;
  options: readonly (readonly [string, string])[];
  empty?: string;
  onChange: (value: string) => void;
}) {
  return (
    <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  );
}

type ChoiceProps = Omit<Parameters<typeof Choice>[0], 'props'>;

/** A labelled select: the common case of a Field holding one Choice. */
export function ChoiceField({
  label,
  path,
  wide,
  ...choice
}: { label: string; path: string; wide?: boolean } & ChoiceProps) {
  return (
    <Field label={label} path={path} wide={wide}>
      {(props) => <Choice props={props} {...choice} />}
    </Field>
  );
}

/** A labelled text input: the common case of a Field holding one input. */
export function TextField({
  label,
  path,
  wide,
  value,
  onChange,
  ...input
}: {
  label: string;
  path: string;
  wide?: boolean;
  value: string;
  onChange: (value: string) => void;
} & Pick<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode' | 'placeholder'>) {
  return (
    <Field label={label} path={path} wide={wide}>
      {(props) => <input {...props} {...input} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** Up to this many records are offered by a picker (a settings list is small). */
const CHOICES = 500;

/** The records of a kind on this device as [id, name] pairs, sorted by name (users, groups, lead lists…). */
export function useRecordChoices(kind: string): readonly (readonly [string, string])[] {
  const repos = useRepos();
  const [choices, setChoices] = useState<readonly (readonly [string, string])[]>([]);
  useEffect(() => {
    const repo = repoOf(repos, kind);
    if (!repo || !isEntityName(kind)) return;
    const entity = getEntity(kind);
    let live = true;
    void repo.list({ limit: CHOICES }).then((records) => {
      const named = (records as Record<string, unknown>[])
        .map((r) => [String(r.id), displayName(entity, r)] as const)
        .sort((a, b) => a[1].localeCompare(b[1]));
      if (live) setChoices(named);
    });
    return () => {
      live = false;
    };
  }, [repos, kind]);
  return choices;
}

/**
 * A workflow's numbered, editable rows (conditions, actions): each row labelled "<Noun> n" with its
 * Remove button, and an Add button below. `intro` goes between the legend and the rows.
 */
export function WorkflowRowList<Row>({
  legend,
  noun,
  rows,
  intro,
  renderRow,
  onAdd,
  onRemove,
}: {
  legend: string;
  noun: string;
  rows: readonly Row[];
  intro?: ReactNode;
  renderRow: (row: Row, index: number) => ReactNode;
  onAdd: () => void;
  onRemove: (index: number) => void;
}) {
  return (
    <fieldset className="workflow-block">
      <legend>{legend}</legend>
      {intro}
      <ol className="workflow-rows">
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional; their paths are their index.
          <li key={i} className="workflow-row" aria-label={`${noun} ${i + 1}`}>
            {renderRow(row, i)}
            <button type="button" className="workflow-remove" onClick={() => onRemove(i)}>
              Remove {noun.toLowerCase()} {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={onAdd}>
        Add {noun.toLowerCase()}
      </button>
    </fieldset>
  );
}
