import { useEffect, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCrm, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage, toast } from '../../../ui/toasts';
import { queueEmail } from '../send-email';

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

function SendEmailForm({ onClose }: { onClose: () => void }) {
  const repos = useRepos();
  const { user } = useCrm();
  const go = useNavigation((s) => s.go);
  const [kind, setKind] = useState<Person>('contact');
  const [subjectId, setSubjectId] = useState('');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<{ field?: string; message: string }>();
  const [saving, setSaving] = useState(false);
  const people = usePeople(kind);
  const choose = (id: string) => {
    setSubjectId(id);
    const email = people.find((p) => p.id === id)?.email;
    if (email) setTo(email);
  };
  const submit = async () => {
    const addresses = to
      .split(/[,;\s]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    if (subjectId === '') return setProblem({ field: 'subjectId', message: `Choose the ${kind} this email is to.` });
    if (addresses.length === 0) return setProblem({ field: 'to', message: 'Add at least one address.' });
    const bad = addresses.find((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a));
    if (bad) return setProblem({ field: 'to', message: `"${bad}" is not an email address.` });
    if (subject.trim() === '') return setProblem({ field: 'subject', message: 'Add a subject.' });
    setSaving(true);
    try {
      const { communication } = await queueEmail(repos, {
        subjectType: kind,
        subjectId,
        to: addresses,
        subject: subject.trim(),
        body,
        ...(typeof user.email === 'string' ? { fromAddress: user.email } : {}),
        now: new Date(),
      });
      toast({ tone: 'success', message: 'Email queued: the server sends it once this device syncs.' });
      onClose();
      go({ screen: 'communications', id: communication.id });
    } catch (error) {
      const first = error instanceof ValidationError ? error.problems[0] : undefined;
      setProblem(
        first ? { field: first.field, message: `${first.field} ${first.problem}` } : { message: errorMessage(error) },
      );
    } finally {
      setSaving(false);
    }
  };
  const invalid = (field: string) => (problem?.field === field ? true : undefined);
  return (
    <form
      className="send-email-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="form-grid">
        <div className="form-row">
          <label htmlFor="send-email-kind">To a</label>
          <select
            id="send-email-kind"
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
          <label htmlFor="send-email-who">Who</label>
          <select
            id="send-email-who"
            value={subjectId}
            onChange={(e) => choose(e.target.value)}
            aria-invalid={invalid('subjectId')}
          >
            <option value="">choose a {kind}…</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.email ? ` <${p.email}>` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="form-row wide">
          <label htmlFor="send-email-to">Addresses</label>
          <input id="send-email-to" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={invalid('to')} />
        </div>
        <div className="form-row wide">
          <label htmlFor="send-email-subject">Subject</label>
          <input
            id="send-email-subject"
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            aria-invalid={invalid('subject')}
          />
        </div>
        <div className="form-row wide">
          <label htmlFor="send-email-body">Message</label>
          <textarea id="send-email-body" value={body} rows={8} onChange={(e) => setBody(e.target.value)} />
        </div>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <p className="muted">
        Sent by the server from its address, with yours to reply to. Works offline: it goes once you sync.
      </p>
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Queuing…' : 'Send'}
        </button>
      </div>
    </form>
  );
}
