import { useEffect, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCrm, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { CreateForm } from '../../../ui/CreateRecordDialog';
import { Dialog } from '../../../ui/Dialog';
import { formProblems } from '../../tasks';
import { queueEmail, readEmailDraft } from '../send-email';

type Person = 'contact' | 'lead';

/** People offered, newest first, as a reference picker does. */
const CHOICES = 500;

function usePeople(kind: Person) {
  const repos = useRepos();
  const [people, setPeople] = useState<readonly { id: string; name: string; email: string }[]>([]);
  useEffect(() => {
    let live = true;
    const entity = getEntity(kind);
    void repos[kind].list({ limit: CHOICES }).then((records) => {
      const named = records.map((r) => ({
        id: String(r.id),
        name: displayName(entity, r),
        email: typeof r.email === 'string' ? r.email : '',
      }));
      named.sort((a, b) => a.name.localeCompare(b.name));
      if (live) setPeople(named);
    });
    return () => {
      live = false;
    };
  }, [repos, kind]);
  return people;
}

/** "Send email": written on this device as a queued outbound email; the server sends it (send-email.ts). */
export function SendEmailButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Send email
      </button>
      <Dialog title="Send email" open={open} onClose={() => setOpen(false)} wide>
        {open && <SendEmailForm onClose={() => setOpen(false)} />}
      </Dialog>
    </>
  );
}

const SHOWN = ['subjectId', 'toAddresses', 'subject', 'body'];
const LABELS: Record<string, string> = {
  subjectId: 'Who',
  toAddresses: 'Addresses',
  subject: 'Subject',
  body: 'Message',
};

function SendEmailForm({ onClose }: { onClose: () => void }) {
  const repos = useRepos();
  const { user } = useCrm();
  const go = useNavigation((s) => s.go);
  const [kind, setKind] = useState<Person>('contact');
  const [subjectId, setSubjectId] = useState('');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const people = usePeople(kind);
  const choose = (id: string) => {
    setSubjectId(id);
    const email = people.find((p) => p.id === id)?.email;
    if (email) setTo(email);
  };
  const send = async () => {
    const { addresses, problems } = readEmailDraft({ kind, subjectId, to, subject });
    if (problems.length > 0) throw new ValidationError('communication', problems);
    return queueEmail(repos, {
      subjectType: kind,
      subjectId,
      to: addresses,
      subject: subject.trim(),
      body,
      ...(typeof user.email === 'string' ? { fromAddress: user.email } : {}),
      now: new Date(),
    });
  };
  return (
    <CreateForm
      label="Send email form"
      submitLabel="Send"
      savingLabel="Queuing…"
      create={send}
      problemsOf={(error) => formProblems(error, SHOWN, LABELS)}
      successMessage={() => 'Email queued: the server sends it once this device syncs.'}
      onClose={onClose}
      onCreated={({ communication }) => go({ screen: 'communications', id: communication.id })}
      submitOnCtrlEnter
      hint={
        <p className="muted">
          Sent by the server from its address, with yours to reply to. Works offline: it goes once you sync.
        </p>
      }
    >
      {({ formId, problem, ariaOf }) => (
        <>
          <div className="form-row">
            <label htmlFor={`${formId}-kind`}>To a</label>
            <select
              id={`${formId}-kind`}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Person);
                setSubjectId('');
              }}
            >
              <option value="contact">contact</option>
              <option value="lead">lead</option>
            </select>
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-subjectId`}>Who</label>
            <select
              id={`${formId}-subjectId`}
              value={subjectId}
              onChange={(e) => choose(e.target.value)}
              {...ariaOf('subjectId')}
            >
              <option value="">choose a {kind}…</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.email ? ` <${p.email}>` : ''}
                </option>
              ))}
            </select>
            {problem('subjectId')}
          </div>
          <div className="form-row wide">
            <label htmlFor={`${formId}-toAddresses`}>Addresses</label>
            <input
              id={`${formId}-toAddresses`}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              {...ariaOf('toAddresses')}
            />
            {problem('toAddresses')}
          </div>
          <div className="form-row wide">
            <label htmlFor={`${formId}-subject`}>Subject</label>
            <input
              id={`${formId}-subject`}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              {...ariaOf('subject')}
            />
            {problem('subject')}
          </div>
          <div className="form-row wide">
            <label htmlFor={`${formId}-body`}>Message</label>
            <textarea
              id={`${formId}-body`}
              value={body}
              rows={8}
              onChange={(e) => setBody(e.target.value)}
              {...ariaOf('body')}
            />
            {problem('body')}
          </div>
        </>
      )}
    </CreateForm>
  );
}
