import { describe, expect, it } from 'vitest';
import { focusFirstProblem, type ProblemRoot, unreadableInputs } from '../../../../src-renderer/ui/focus-problem';

function stubForm(hasProblem: boolean) {
  const focused: string[] = [];
  const asked: string[] = [];
  const root: ProblemRoot = {
    querySelector: (selectors) => {
      asked.push(selectors);
      return hasProblem ? { focus: () => focused.push('firstName') } : null;
    },
  };
  return { root, focused, asked };
}

describe('focusFirstProblem', () => {
  it('focuses the first control marked invalid, so a refused submit shows its error', () => {
    const { root, focused, asked } = stubForm(true);
    expect(focusFirstProblem(root)).toBe(true);
    expect(asked).toEqual(['[aria-invalid="true"]']);
    expect(focused).toEqual(['firstName']);
  });

  it('does nothing when no control is invalid or the form is gone', () => {
    const { root, focused } = stubForm(false);
    expect(focusFirstProblem(root)).toBe(false);
    expect(focused).toEqual([]);
    expect(focusFirstProblem(null)).toBe(false);
  });
});

describe('unreadableInputs', () => {
  const input = (id: string, badInput: boolean) => ({ id, validity: { badInput } });

  it('names the inputs holding what the browser could not read (a date typed as 31/02)', () => {
    const form = { querySelectorAll: () => [input('name', false), input('close', true), input('start', false)] };
    expect([...unreadableInputs(form)]).toEqual(['close']);
  });

  it('is none without a form', () => {
    expect(unreadableInputs(null).size).toBe(0);
  });
});
