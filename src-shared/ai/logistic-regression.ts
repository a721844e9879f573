/**
 * L2-regularised logistic regression on standardised features, fitted by Newton's method
 * (iteratively reweighted least squares). Small, exact and deterministic: the models here have tens
 * of features and thousands of rows, where an ML library would add weight and explain less.
 */

export interface LogisticModel {
  /** Per feature, on the standardised scale. */
  readonly weights: readonly number[];
  readonly bias: number;
  readonly means: readonly number[];
  /** Standard deviations (1 for constant features, so they contribute nothing). */
  readonly scales: readonly number[];
}

export interface FitOptions {
  /** Ridge penalty on the standardised weights; larger shrinks harder toward the base rate. */
  l2?: number;
  iterations?: number;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function standardiser(rows: readonly (readonly number[])[], width: number) {
  const means = new Array<number>(width).fill(0);
  const scales = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) means[j] = (means[j] ?? 0) + (row[j] ?? 0) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < width; j++) scales[j] = (scales[j] ?? 0) + ((row[j] ?? 0) - (means[j] ?? 0)) ** 2 / rows.length;
  }
  return { means, scales: scales.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[i]?.[k] ?? 0) * (l[j]?.[k] ?? 0);
      const row = l[i] as number[];
      row[j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / (l[j]?.[j] ?? 1);
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i]?.[k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / (l[i]?.[i] ?? 1);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (l[k]?.[i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (l[i]?.[i] ?? 1);
  }
  return x;
}

export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  const width = rows[0]?.length ?? 0;
  const l2 = options.l2 ?? 1;
  const { means, scales } = standardiser(rows, width);
  const x = rows.map((row) => [1, ...row.map((v, j) => (v - (means[j] ?? 0)) / (scales[j] ?? 1))]);
  const n = width + 1;
  // Start at the base rate, so that a model with no useful feature stays there.
  const rate = Math.min(0.999, Math.max(0.001, labels.reduce((a, b) => a + b, 0) / Math.max(1, labels.length)));
  let beta = [Math.log(rate / (1 - rate)), ...new Array<number>(width).fill(0)];
  for (let iteration = 0; iteration < (options.iterations ?? 25); iteration++) {
    const gradient = new Array<number>(n).fill(0);
    const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    x.forEach((xi, i) => {
      const p = sigmoid(xi.reduce((s, v, j) => s + v * (beta[j] ?? 0), 0));
      const w = Math.max(p * (1 - p), 1e-9);
      const r = (labels[i] ?? 0) - p;
      for (let j = 0; j < n; j++) {
        gradient[j] = (gradient[j] ?? 0) + r * (xi[j] ?? 0);
        const hj = hessian[j] as number[];
        for (let k = 0; k <= j; k++) hj[k] = (hj[k] ?? 0) + w * (xi[j] ?? 0) * (xi[k] ?? 0);
      }
    });
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) (hessian[k] as number[])[j] = hessian[j]?.[k] ?? 0;
      // The intercept is not penalised.
      if (j > 0) {
        gradient[j] = (gradient[j] ?? 0) - l2 * (beta[j] ?? 0);
        (hessian[j] as number[])[j] = (hessian[j]?.[j] ?? 0) + l2;
      }
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b + (step[j] ?? 0));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { bias: beta[0] ?? 0, weights: beta.slice(1), means, scales };
}

/** Each feature's push on the log-odds for one row (weight × standardised value). */
export function contributions(model: LogisticModel, row: readonly number[]): number[] {
  return model.weights.map((w, j) => (w * ((row[j] ?? 0) - (model.means[j] ?? 0))) / (model.scales[j] ?? 1));
}

export function predict(model: LogisticModel, row: readonly number[]): number {
  return sigmoid(model.bias + contributions(model, row).reduce((a, b) => a + b, 0));
}
