import { describe, expect, it } from 'vitest';
import { auc, brier, calibration, expectedCalibrationError } from '../../../../src-shared/ai/metrics';

describe('model metrics', () => {
  it('AUC: 1 for a perfect ranking, 0 for a reversed one, 0.5 for ties', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // One of four positive–negative pairs out of order.
    expect(auc([0.1, 0.6, 0.5, 0.9], [0, 0, 1, 1])).toBe(0.75);
  });

  it('AUC is undefined with only one class', () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('Brier: squared error of the probabilities', () => {
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([0.5, 0.5], [1, 0])).toBe(0.25);
    expect(brier([0.8], [0])).toBeCloseTo(0.64);
  });

  it('calibration bins compare predicted with observed rates', () => {
    const bins = calibration([0.05, 0.05, 0.95, 0.95], [0, 0, 1, 1], 10);
    expect(bins).toEqual([
      { from: 0, to: 0.1, count: 2, meanPredicted: 0.05, observedRate: 0 },
      { from: 0.9, to: 1, count: 2, meanPredicted: 0.95, observedRate: 1 },
    ]);
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.05);
  });
});
