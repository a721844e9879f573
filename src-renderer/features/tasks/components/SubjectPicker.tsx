import { useEffect, useMemo, useRef, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useRepos } from '../../../app/crm-context';
import { findByName, type NamedRecord } from '../../../ui/find-by-name';
import { RecordName, repoOf } from '../../../ui/useRecordName';
import { isSubject, SUBJECT_LABEL, SUBJECT_TYPES, type Subject } from '../subject';

/** Records offered per kind before anything is typed; typing looks through all of them. */
const CHOICES = 400;
/** Typing pauses this long before the records are read for it. */
const FIND_DELAY_MS = 200;

interface SubjectPickerProps {
  idPrefix: string;
  type: Subject | '';
  id: string;
  onChange: (type: Subject | '', id: string) => void;
  /** A record given by the screen that opened the form: shown, not changeable. */
  fixed?: boolean;
  /** Notes must be about a record; tasks may not be. */
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
}

/** "About": the kind of record (contact, company, lead, deal) and the record itself. */
export function SubjectPicker({
  idPrefix,
  type,
  id,
  onChange,
  fixed,
  required,
  invalid,
  describedBy,
}: SubjectPickerProps) {
  const repos = useRepos();
  const [filter, setFilter] = useState('');
  const [records, setRecords] = useState<readonly [string, string][] | undefined>(undefined);
  useEffect(() => {
    setRecords(undefined);
    if (fixed || !type) return;
    const repo = repoOf(repos, type);
    if (!repo) return;
    const entity = getEntity(type);
    let live = true;
    void repo.list({ limit: CHOICES }).then((found) => {
      const named = found.map((r) => [String(r.id), displayName(entity, r)] as [string, string]);
      named.sort((a, b) => a[1].localeCompare(b[1]));
      if (live) setRecords(named);
    });
    return () => {
      live = false;
    };
  }, [repos, type, fixed]);
  const needle = filter.trim().toLowerCase();
  // What typing found among every record of the kind, for the needle it was found for.
  const [found, setFound] = useState<{ needle: string; matches: NamedRecord[]; complete: boolean }>();
  useEffect(() => {
    const repo = type ? repoOf(repos, type) : undefined;
    if (fixed || !type || !repo || needle === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void findByName(repo, getEntity(type), needle, { isLive: () => live }).then((result) => {
        if (live) setFound({ needle, ...result });
      });
    }, FIND_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [repos, type, fixed, needle]);
  const searched = needle !== '' && found?.needle === needle ? found : undefined;
  // Names of records found by earlier searches: the chosen one keeps its name when a later search misses it.
  const foundNames = useRef(new Map<string, string>());
  for (const [value, name] of searched?.matches ?? []) foundNames.current.set(value, name);
  const shown = useMemo(() => {
    if (searched) return searched.matches;
    const list = records ?? [];
    const matching = needle ? list.filter(([, name]) => name.toLowerCase().includes(needle)) : list;
    return matching.slice(0, 200);
  }, [records, needle, searched]);
  // As typing does with the records at hand, the first one found is chosen once they are read.
  useEffect(() => {
    const first = searched?.matches[0];
    if (type && first && !searched.matches.some(([value]) => value === id)) onChange(type, first[0]);
  }, [searched, type, id, onChange]);

  if (fixed && type) {
    return (
      <p className="subject-fixed" id={`${idPrefix}-subject-record`}>
        <span className="badge">{SUBJECT_LABEL[type]}</span> <RecordName entity={type} id={id} />
      </p>
    );
  }
  return (
    <div className="subject-picker">
      <select
        id={`${idPrefix}-subject-type`}
        aria-label="Kind of record"
        value={type}
        onChange={(e) => {
          const next = e.target.value;
          setFilter('');
          onChange(isSubject(next) ? next : '', '');
        }}
      >
        {!required && <option value="">No record</option>}
        {required && type === '' && <option value="">Choose…</option>}
        {SUBJECT_TYPES.map((t) => (
          <option key={t} value={t}>
            {SUBJECT_LABEL[t]}
          </option>
        ))}
      </select>
      {type && (
        <>
          <input
            type="search"
            aria-label={`Find a ${SUBJECT_LABEL[type].toLowerCase()}`}
            placeholder="Find…"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              const needle = e.target.value.trim().toLowerCase();
              const first = (records ?? []).find(([, name]) => name.toLowerCase().includes(needle));
              if (needle && first) onChange(type, first[0]);
            }}
          />
          <select
            id={`${idPrefix}-subject-record`}
            aria-label={SUBJECT_LABEL[type]}
            value={id}
            onChange={(e) => onChange(type, e.target.value)}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          >
            <option value="">
              {records === undefined
                ? 'Loading…'
                : needle !== '' && !searched
                  ? 'Searching…'
                  : needle !== '' && shown.length === 0
                    ? `No ${SUBJECT_LABEL[type].toLowerCase()} named like “${filter.trim()}”${searched?.complete ? '' : ' among the newest'}`
                    : `Choose a ${SUBJECT_LABEL[type].toLowerCase()}`}
            </option>
            {id && !shown.some(([value]) => value === id) && (
              <option value={id}>
                {records?.find(([value]) => value === id)?.[1] ?? foundNames.current.get(id) ?? id}
              </option>
            )}
            {shown.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}
