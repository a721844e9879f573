/** Weekly counts as small SVG bars (no chart library: a dozen rectangles say enough). */
export function Sparkline({
  values,
  width = 96,
  height = 24,
  label,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
  label: string;
}) {
  const max = Math.max(1, ...values);
  const gap = 2;
  const bar = Math.max(1, (width - gap * (values.length - 1)) / Math.max(1, values.length));
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      {values.map((v, i) => {
        const h = v === 0 ? 1 : Math.max(2, (v / max) * height);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: one bar per week, in order.
            key={i}
            x={i * (bar + gap)}
            y={height - h}
            width={bar}
            height={h}
            rx={1}
            className={v === 0 ? 'spark-empty' : i === values.length - 1 ? 'spark-last' : 'spark-bar'}
          />
        );
      })}
    </svg>
  );
}

/** A horizontal share of the largest value, for ranking at a glance (the number beside it is what is read out). */
export function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <span className="meter" aria-hidden="true" title={label}>
      <span className="meter-fill" style={{ width: `${percent}%` }} />
    </span>
  );
}
