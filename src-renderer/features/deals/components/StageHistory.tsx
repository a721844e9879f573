import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import type { Person } from '../hooks/useUsers';
import { stageLabel } from '../stages';

type Move = EntityRecord<EntityByName<'dealStageHistory'>>;

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function days(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1) return 'under a day';
  return `${n.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${n === 1 ? 'day' : 'days'}`;
}

/** The deal's moves between stages, newest first, with who moved it and how long it had stayed. */
export function StageHistory({ dealId, owners }: { dealId: string; owners: ReadonlyMap<string, Person> }) {
  const { repos } = useCrm();
  const moves = useObservable(
    () => repos.dealStageHistory.observe({ where: { dealId } }),
    undefined as Move[] | undefined,
    [repos, dealId],
  );
  const sorted = moves ? [...moves].sort((a, b) => b.changedAt.localeCompare(a.changedAt)) : undefined;
  return (
    <section className="section" aria-label="Stage history">
      <h3>Stage history</h3>
      {sorted === undefined && <p className="muted">Loading…</p>}
      {sorted?.length === 0 && <p className="muted">No stage changes recorded yet.</p>}
      {sorted && sorted.length > 0 && (
        <ol className="stage-history">
          {sorted.map((move) => (
            <li key={move.id} className={`stage-move stage-${move.toStage}`}>
              <span className="stage-dot" aria-hidden="true" />
              <div>
                <p className="stage-move-title">
                  {move.fromStage ? (
                    <>
                      <span className={`badge badge-${move.fromStage}`}>{stageLabel(move.fromStage)}</span>
                      <span className="sr-only"> to </span>
                      <span aria-hidden="true"> → </span>
                    </>
                  ) : (
                    'Created in '
                  )}
                  <span className={`badge badge-${move.toStage}`}>{stageLabel(move.toStage)}</span>
                </p>
                <p className="muted stage-move-meta">
                  {when.format(new Date(move.changedAt))}
                  {' · '}
                  {owners.get(move.changedBy)?.name ?? 'someone'}
                  {move.fromStage && move.daysInPreviousStage !== undefined
                    ? ` · ${days(move.daysInPreviousStage)} in ${stageLabel(move.fromStage)}`
                    : ''}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
