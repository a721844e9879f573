/** One key number. */
export function KpiCard({
  label,
  value,
  sub,
  progress,
  tone,
  onOpen,
}: {
  label: string;
  value: string;
  sub?: string;
  progress?: number | undefined;
  tone?: 'ok' | 'warn' | 'danger' | undefined;
  onOpen?: () => void;
}) {
  const body = (
    <>
      <span className="kpi-label">{label}</span>
      <span className={`kpi-value${tone ? ` kpi-${tone}` : ''}`}>{value}</span>
      {progress !== undefined && (
        <span className="kpi-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, progress)}%` }} />
        </span>
      )}
      {sub && <span className="kpi-sub muted">{sub}</span>}
    </>
  );
  return onOpen ? (
    <button type="button" className="kpi" onClick={onOpen}>
      {body}
    </button>
  ) : (
    <div className="kpi">{body}</div>
  );
}
