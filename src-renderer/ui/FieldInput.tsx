import { useEffect, useState } from 'react';
import { getEntity } from '../../src-shared/entities/registry';
import { displayName } from '../../src-shared/schema/display-name';
import type { FieldSpec } from '../../src-shared/schema/field';
import { useRepos } from '../app/crm-context';
import { findByName, type NamedRecord } from './find-by-name';
import { UNREADABLE_DATE } from './form-values';
import { formatValue } from './format';
import { repoOf } from './useRecordName';

interface FieldInputProps {
  id: string;
  field: FieldSpec;
  text: string;
  onText: (text: string) => void;
  invalid?: boolean;
  describedBy?: string;
}

const INPUT_TYPE: Partial<Record<FieldSpec['type'], string>> = {
  email: 'email',
  url: 'url',
  phone: 'tel',
  date: 'date',
  datetime: 'datetime-local',
};

/** Up to this many records of a reference's target are offered in its picker. */
const REF_CHOICES = 500;
/** Typing in a reference's Find box pauses this long before the records are read for it. */
const FIND_DELAY_MS = 200;

/**
 * Records whose name holds what was typed in `filter`, from every record of `ref` (findByName),
 * once the typing pauses; undefined while nothing is typed or the answer is not in yet.
 */
function useFoundByName(ref: string | undefined, filter: string) {
  const repos = useRepos();
  const needle = filter.trim();
  const [found, setFound] = useState<{ needle: string; matches: NamedRecord[]; complete: boolean }>();
  useEffect(() => {
    const repo = ref ? repoOf(repos, ref) : undefined;
    if (!ref || !repo || needle === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void findByName(repo, getEntity(ref as never), needle, { isLive: () => live }).then((result) => {
        if (live) setFound({ needle, ...result });
      });
    }, FIND_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [repos, ref, needle]);
  return needle !== '' && found?.needle === needle ? found : undefined;
}

function RefSelect({ id, field, text, onText, invalid, describedBy }: FieldInputProps) {
  const repos = useRepos();
  const [choices, setChoices] = useState<readonly [string, string][]>([]);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    const repo = field.ref ? repoOf(repos, field.ref) : undefined;
    if (!repo || !field.ref) return;
    const entity = getEntity(field.ref);
    let live = true;
    void (async () => {
      const records = await repo.list({ limit: REF_CHOICES });
      const current = text && !records.some((r) => r.id === text) ? await repo.get(text) : undefined;
      const all = current ? [current, ...records] : records;
      const named = all.map((r) => [String(r.id), displayName(entity, r)] as [string, string]);
      named.sort((a, b) => a[1].localeCompare(b[1]));
      if (live) setChoices(named);
    })();
    return () => {
      live = false;
    };
  }, [repos, field.ref, text]);
  const found = useFoundByName(field.ref, filter);
  // With more records than are offered, a Find box reaches the others (e.g. a deal's contact
  // among a few thousand: only the newest 500 could be chosen).
  const more = choices.length >= REF_CHOICES || filter !== '';
  const current = choices.find(([value]) => value === text);
  const keep = current && !found?.matches.some(([value]) => value === current[0]) ? [current] : [];
  const shown = found ? [...keep, ...found.matches] : choices;
  const select = (
    <select
      id={id}
      value={text}
      onChange={(e) => onText(e.target.value)}
      aria-invalid={invalid}
      aria-describedby={describedBy}
    >
      <option value="">{found && found.matches.length === 0 ? `None named like “${filter.trim()}”` : '—'}</option>
      {shown.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
  if (!more) return select;
  return (
    <span className="ref-find">
      <input
        type="search"
        aria-label={`Find ${field.label ?? field.ref ?? 'a record'}`}
        placeholder="Find…"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {select}
    </span>
  );
}

/** The input for one registry field, as text the form converts with form-values.ts. */
export function FieldInput(props: FieldInputProps) {
  const { id, field, text, onText, invalid, describedBy } = props;
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy };
  switch (field.type) {
    case 'enum': {
      // A required choice left empty is stored as its default: show that, or that none is chosen
      // yet. The browser otherwise shows the first choice, which the form does not hold (New
      // content showed "Blog Post" and then said "Type is required"; a new integration showed
      // "Active" and was stored "Disconnected").
      const fallback = field.required && text === '' ? field.default : undefined;
      const shown = fallback === undefined ? text : String(fallback);
      return (
        <select {...common} value={shown} onChange={(e) => onText(e.target.value)}>
          {!field.required && <option value="">—</option>}
          {field.required && shown === '' && (
            <option value="" disabled>
              Choose…
            </option>
          )}
          {(field.values ?? []).map((v) => (
            <option key={v} value={v}>
              {formatValue(field, v, {})}
            </option>
          ))}
        </select>
      );
    }
    case 'boolean':
      return (
        <input
          {...common}
          type="checkbox"
          checked={text === 'true'}
          onChange={(e) => onText(String(e.target.checked))}
        />
      );
    case 'text':
    case 'json':
      return (
        <textarea
          {...common}
          rows={field.type === 'json' ? 6 : 3}
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
      );
    case 'ref':
      return <RefSelect {...props} />;
    case 'date':
    case 'datetime': {
      // A stored date changed to one the browser cannot read (31/02) turns the value to "": it
      // comes to the form as UNREADABLE_DATE, not as a date the user cleared. (A new date typed
      // so fires no change at all; RecordForm asks the input on submit, see unreadableInputs.)
      return (
        <input
          {...common}
          type={INPUT_TYPE[field.type]}
          value={text === UNREADABLE_DATE ? '' : text}
          onChange={(e) => onText(e.target.validity.badInput ? UNREADABLE_DATE : e.target.value)}
        />
      );
    }
    default:
      // No maxLength: the browser cut a pasted 400-character "Next step" to 300 without a word;
      // the registry's check names the limit instead.
      return (
        <input
          {...common}
          type={INPUT_TYPE[field.type] ?? 'text'}
          inputMode={['integer', 'number', 'money', 'percent'].includes(field.type) ? 'decimal' : undefined}
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
      );
  }
}
