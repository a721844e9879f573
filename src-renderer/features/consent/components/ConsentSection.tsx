import { useState } from 'react';
import { type ConsentChannel, consentEntity, LEGAL_BASES } from '../../../../src-shared/entities/privacy.entity';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCan, useCrm } from '../../../app/crm-context';
import { errorMessage, toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import {
  type ChannelConsent,
  type ConsentRecord,
  channelConsents,
  recordConsent,
  withdrawInput,
} from '../consent.service';
import '../consent.css';

const CHANNEL_LABEL: Record<ConsentChannel, string> = { email: 'Email', phone: 'Phone', sms: 'SMS', post: 'Post' };
const BASIS_LABEL: Record<string, string> = {
  consent: 'Consent',
  contract: 'Contract',
  legalObligation: 'Legal obligation',
  vitalInterests: 'Vital interests',
  publicTask: 'Public task',
  legitimateInterest: 'Legitimate interest',
};

/** A field as the grant form labels it (the registry's labels: Source, Proof, Proof link). */
const fieldLabel = (field: string) => consentEntity.allFields[field]?.label ?? field;

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

function StateBadge({ current }: { current: ConsentRecord | undefined }) {
  if (!current) return <span className="badge">No record</span>;
  if (current.status === 'withdrawn') return <span className="badge badge-lost">Withdrawn {day(current.at)}</span>;
  return (
    <span className="badge badge-active">
      Granted · {BASIS_LABEL[current.legalBasis] ?? current.legalBasis} · {day(current.at)}
    </span>
  );
}

interface Subject {
  subjectType: 'contact' | 'lead';
  subjectId: string;
}

/** The details a grant can carry beyond one click: basis, source, proof. */
function GrantForm({ channel, onGive }: { channel: ConsentChannel; onGive(details: GrantDetails): Promise<void> }) {
  const [details, setDetails] = useState<GrantDetails>({
    legalBasis: 'consent',
    source: '',
    proofText: '',
    proofUrl: '',
  });
  const set = (key: keyof GrantDetails) => (event: { target: { value: string } }) =>
    setDetails((d) => ({ ...d, [key]: event.target.value }));
  return (
    <form
      className="consent-grant-form"
      onSubmit={(event) => {
        event.preventDefault();
        void onGive(details);
      }}
    >
      <label>
        Legal basis
        <select value={details.legalBasis} onChange={set('legalBasis')}>
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b}>
              {BASIS_LABEL[b]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Source
        <input value={details.source} onChange={set('source')} placeholder="Web form, trade fair, phone call…" />
      </label>
      <label className="wide">
        Proof
        <input value={details.proofText} onChange={set('proofText')} placeholder="What the person agreed to, and how" />
      </label>
      <label className="wide">
        Proof link
        <input value={details.proofUrl} onChange={set('proofUrl')} placeholder="https://…" />
      </label>
      <button type="submit" className="primary">
        Record {CHANNEL_LABEL[channel].toLowerCase()} consent
      </button>
    </form>
  );
}

interface GrantDetails {
  legalBasis: string;
  source: string;
  proofText: string;
  proofUrl: string;
}

function ChannelRow({ subject, item, canCreate }: { subject: Subject; item: ChannelConsent; canCreate: boolean }) {
  const { repos, user } = useCrm();
  const [detailed, setDetailed] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const label = CHANNEL_LABEL[item.channel];
  const granted = item.current?.status === 'granted';

  const write = async (input: Parameters<typeof recordConsent>[1], done: string) => {
    try {
      await recordConsent(repos, input);
      setProblem(undefined);
      setDetailed(false);
      toast({ tone: 'success', message: done });
    } catch (error) {
      setProblem(
        error instanceof ValidationError
          ? error.problems.map((p) => `${fieldLabel(p.field)} ${p.problem}`).join('; ')
          : errorMessage(error),
      );
    }
  };
  const now = () => new Date().toISOString();
  // One click: the user attests to what the person said, which is the proof a grant on consent needs.
  const give = (details?: GrantDetails) =>
    write(
      {
        ...subject,
        channel: item.channel,
        status: 'granted',
        legalBasis: (details?.legalBasis ?? 'consent') as ConsentRecord['legalBasis'],
        source: details?.source.trim() || `Recorded in the app by ${user.name}`,
        at: now(),
        proofText:
          details?.proofText.trim() ||
          `${user.name} recorded that the person agreed to be contacted by ${label.toLowerCase()}.`,
        ...(details?.proofUrl.trim() ? { proofUrl: details.proofUrl.trim() } : {}),
      },
      `${label} consent recorded.`,
    );
  const withdraw = () =>
    write(
      withdrawInput(subject, item.channel, now(), `Withdrawn in the app by ${user.name}`, item.current),
      `${label} consent withdrawn.`,
    );

  return (
    <li className="consent-channel">
      <div className="consent-row">
        <strong>{label}</strong>
        <StateBadge current={item.current} />
        <span className="spacer" />
        {canCreate && !granted && (
          <>
            <button type="button" onClick={() => void give()} aria-label={`Give ${label} consent`}>
              Give
            </button>
            <button type="button" className="link" onClick={() => setDetailed((d) => !d)}>
              {detailed ? 'Cancel' : 'With details…'}
            </button>
          </>
        )}
        {canCreate && granted && (
          <button
            type="button"
            className="danger"
            onClick={() => void withdraw()}
            aria-label={`Withdraw ${label} consent`}
          >
            Withdraw
          </button>
        )}
      </div>
      {detailed && <GrantForm channel={item.channel} onGive={give} />}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {item.history.length > 0 && (
        <details className="consent-history">
          <summary>History ({item.history.length})</summary>
          <ol>
            {item.history.map((r) => (
              <li key={r.id}>
                {day(r.at)}: {r.status === 'granted' ? 'granted' : 'withdrawn'} · {BASIS_LABEL[r.legalBasis]} ·{' '}
                {r.source}
                {r.proofText && <span className="muted"> · “{r.proofText}”</span>}
                {r.proofUrl && (
                  <>
                    {' · '}
                    <a href={r.proofUrl} target="_blank" rel="noreferrer">
                      proof
                    </a>
                  </>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

/**
 * A person's consent per channel on their detail: the current state with its history, give or
 * withdraw in one click each. Every change is a new consent record through the repository
 * (validated, audited); outbound email and SMS to them are blocked without a grant (consent-rules.ts).
 */
export function ConsentSection(subject: Subject) {
  const { repos } = useCrm();
  const canCreate = useCan('consent', 'create');
  const records = useObservable(() => repos.consent.observe({ where: { subjectId: subject.subjectId } }), undefined, [
    repos,
    subject.subjectId,
  ]);
  return (
    <section className="section card-360 consent-section" aria-labelledby={`consent-${subject.subjectId}`}>
      <header className="card-360-head">
        <h3 id={`consent-${subject.subjectId}`}>Consent</h3>
      </header>
      {records === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <ul className="consent-channels">
          {channelConsents(records, subject.subjectId).map((item) => (
            <ChannelRow key={item.channel} subject={subject} item={item} canCreate={canCreate} />
          ))}
        </ul>
      )}
    </section>
  );
}
