import '../insights.css';
import { useState } from 'react';
import { offlineDigestProvider } from '../../../../src-shared/ai/company-research';
import { useCan, useRepos } from '../../../app/crm-context';
import { useOnline } from '../../../sync/useServerOnline';
import { toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { researchQueue, useResearchProvider } from '../hooks/useResearch';
import { generateBrief, requestBrief } from '../research.service';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const sourcesOf = (insights: unknown): string[] => {
  const s = (insights as { sources?: unknown } | undefined)?.sources;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
};

/** "Generate brief" for a company: now, or queued when the provider needs the network and there is none. */
export function useGenerateBrief(companyId: string) {
  const repos = useRepos();
  const online = useOnline();
  const provider = useResearchProvider();
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState(() => researchQueue().list().includes(companyId));
  const active = provider ?? offlineDigestProvider;

  const generate = async () => {
    setBusy(true);
    try {
      const result = await requestBrief(repos, companyId, { provider: active, online, queue: researchQueue() });
      if (result === 'queued') {
        setQueued(true);
        toast({ tone: 'info', message: 'Offline: the brief will be written when the device is back online.' });
      } else toast({ tone: 'success', message: 'Research brief written.' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!active.online) toast({ tone: 'error', message });
      else {
        // The language model failed: the offline digest still gives the rep something now.
        try {
          await generateBrief(repos, companyId, offlineDigestProvider);
          toast({ tone: 'error', message: `${message}. Wrote the offline digest instead.` });
        } catch (fallback) {
          toast({ tone: 'error', message: fallback instanceof Error ? fallback.message : String(fallback) });
        }
      }
    } finally {
      setBusy(false);
    }
  };
  return { generate, busy, queued, online, active };
}

/** The "Generate brief" button alone, for a research card that already shows the briefs. */
export function GenerateBriefButton({ companyId }: { companyId: string }) {
  const canCreate = useCan('companyResearch', 'create');
  const { generate, busy, queued, online, active } = useGenerateBrief(companyId);
  if (!canCreate) return null;
  const waiting = active.online && (queued || !online);
  return (
    <button
      type="button"
      className="primary"
      disabled={busy}
      title={`By ${active.label}${waiting ? ' (queued until the device is online)' : ''}`}
      onClick={() => void generate()}
    >
      {busy ? 'Generating…' : 'Generate brief'}
    </button>
  );
}

/**
 * The company's latest research brief with its provider, model, time, confidence and sources, and
 * "Generate brief": the built-in offline digest of what the CRM knows, or the admin's language
 * model when one is configured (queued while offline, run on reconnect by useInsights).
 */
export function ResearchPanel({ companyId, className }: { companyId: string; className?: string }) {
  const repos = useRepos();
  const canCreate = useCan('companyResearch', 'create');
  const { generate, busy, queued, online, active } = useGenerateBrief(companyId);
  const records = useObservable(() => repos.companyResearch.observe({ where: { companyId }, limit: 20 }), undefined, [
    repos,
    companyId,
  ]);
  const latest = records?.toSorted((a, b) => b.researchedAt.localeCompare(a.researchedAt))[0];

  return (
    <section className={`section insight-card research-panel ${className ?? ''}`} aria-label="Research brief">
      <header className="insight-head">
        <h3>Research brief</h3>
        {canCreate && (
          <button type="button" className="primary" disabled={busy} onClick={() => void generate()}>
            {busy ? 'Generating…' : 'Generate brief'}
          </button>
        )}
      </header>
      <p className="muted insight-foot">
        By {active.label}
        {active.online && !online ? ' · offline: requests wait for the network' : ''}
        {queued && active.online ? ' · a request is queued' : ''}
      </p>
      {records === undefined ? (
        <p className="muted">Loading…</p>
      ) : !latest ? (
        <p className="muted">No brief yet. Generate one from what the CRM knows about this company.</p>
      ) : (
        <article className="insight-brief" aria-label="Latest brief">
          <h4>{latest.title}</h4>
          <p className="muted">
            {latest.model && <code>{latest.model}</code>} · {when.format(new Date(latest.researchedAt))}
            {latest.confidence !== undefined && ` · ${latest.confidence}% confidence`}
          </p>
          {latest.summary.split(/\n{2,}/).map((para) => (
            <p key={para}>{para}</p>
          ))}
          {sourcesOf(latest.insights).length > 0 && (
            <p className="muted insight-sources">Sources: {sourcesOf(latest.insights).join(' · ')}</p>
          )}
        </article>
      )}
    </section>
  );
}
