import type { Factor } from '../../../../src-shared/ai/classifier';
import { readableFactor } from '../lead-scores';

/** A model's reasons: ▲ raises, ▼ lowers, each with the factor it multiplies the odds by. */
export function FactorList({ positive, negative }: { positive: readonly Factor[]; negative: readonly Factor[] }) {
  const rows = [...positive.map((f) => ({ ...f, up: true })), ...negative.map((f) => ({ ...f, up: false }))];
  if (rows.length === 0) return <p className="muted">No single factor stands out: close to the average deal.</p>;
  return (
    <ul className="insight-factors" aria-label="Reasons">
      {rows.map((f) => (
        <li key={`${f.up}${f.label}`} className={f.up ? 'up' : 'down'}>
          <span aria-hidden="true">{f.up ? '▲' : '▼'}</span>
          <span className="sr-only">{f.up ? 'Raises:' : 'Lowers:'}</span> {readableFactor(f.label)}
          <span className="muted num">×{Math.exp(f.effect).toFixed(2)} odds</span>
        </li>
      ))}
    </ul>
  );
}
