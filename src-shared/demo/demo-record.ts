import type { EntityByName, EntityName } from '../entities/registry';
import type { CustomFieldValues } from '../schema/define-entity';
import type { FieldValue } from '../schema/field';

/**
 * Records as a caller would give them to a repository's create: declared fields + `id`, `ownerId`,
 * `createdAt` and (set by generateDemoData) `updatedAt`, ISO. No other base fields.
 */
export type DemoRecord = Record<string, unknown> & { id: string; ownerId: string; createdAt: string };

type Fields<N extends EntityName> = EntityByName<N>['fields'];

/**
 * A field's value type. Enums are read from `values` directly: `FieldValue` widens them to string,
 * because its `infer` meets the intersection with FieldSpec's `values?: readonly string[]`.
 */
type ValueOf<F> = F extends { type: 'enum'; values?: readonly string[] }
  ? NonNullable<F['values']>[number]
  : FieldValue<F>;

type RequiredKeys<F> = {
  [K in keyof F]: F[K] extends { required: true } ? (F[K] extends { default: unknown } ? never : K) : never;
}[keyof F];

/** The typed shape of one entity's demo record, so a misspelt field or enum value fails to compile. */
export type DemoInput<N extends EntityName> = { -readonly [K in RequiredKeys<Fields<N>>]: ValueOf<Fields<N>[K]> } & {
  -readonly [K in Exclude<keyof Fields<N>, RequiredKeys<Fields<N>>>]?: ValueOf<Fields<N>[K]>;
} & { id: string; ownerId: string; createdAt: string; customFields?: CustomFieldValues };

/** The values of an enum field. */
export type EnumValue<N extends EntityName, F extends keyof Fields<N>> = ValueOf<Fields<N>[F]>;

export type DemoRecords<N extends EntityName> = Iterable<DemoInput<N>>;
