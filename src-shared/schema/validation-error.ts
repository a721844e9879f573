import type { FieldProblem } from './define-entity';

/** Bad input, named field by field; thrown before anything is written. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly entity: string,
    readonly problems: readonly FieldProblem[],
    /** Position of the offending record in a bulk write. */
    readonly index?: number,
  ) {
    const where = index === undefined ? entity : `${entity} #${index + 1}`;
    super(`${where}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}
