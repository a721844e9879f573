/**
 * Quality measures of probabilistic classifiers, for the models' evaluations. Labels are 0/1.
 */

/** Area under the ROC curve: the chance that a random positive scores above a random negative (ties count half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  // Average ranks over ties (Mann–Whitney U).
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]?.[0] === order[i]?.[0]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (order[k]?.[1] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities (lower is better; 0.25 is a coin's). */
export function brier(probabilities: readonly number[], labels: readonly number[]): number {
  if (probabilities.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += ((probabilities[i] ?? 0) - (labels[i] ?? 0)) ** 2;
  return sum / probabilities.length;
}

export interface CalibrationBin {
  /** Range of predicted probabilities, [from, to). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Predicted against observed rates in equal-width bins: a calibrated model's points lie on the diagonal. */
export function calibration(probabilities: readonly number[], labels: readonly number[], bins = 10): CalibrationBin[] {
  const sums = Array.from({ length: bins }, () => ({ count: 0, predicted: 0, observed: 0 }));
  probabilities.forEach((p, i) => {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))];
    if (!bin) return;
    bin.count++;
    bin.predicted += p;
    bin.observed += labels[i] ?? 0;
  });
  return sums.flatMap((s, i) =>
    s.count === 0
      ? []
      : [
          {
            from: i / bins,
            to: (i + 1) / bins,
            count: s.count,
            meanPredicted: s.predicted / s.count,
            observedRate: s.observed / s.count,
          },
        ],
  );
}

/** Expected calibration error: the count-weighted gap between predicted and observed rates. */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  const total = bins.reduce((n, b) => n + b.count, 0);
  if (total === 0) return Number.NaN;
  return bins.reduce((sum, b) => sum + (b.count / total) * Math.abs(b.meanPredicted - b.observedRate), 0);
}
