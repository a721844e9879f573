import { CUSTOMIZABLE_KINDS } from '../../../src-shared/entities/enums';
import { getEntity } from '../../../src-shared/entities/registry';
import type { Repositories } from '../../db/repositories';
import { refuse, text, type Values } from './settings-errors';

const IMMUTABLE = ['entityKind', 'key', 'fieldType'] as const;

/**
 * The key a new field's label suggests, in the form the registry asks for (a lower-case letter,
 * then letters, digits and _): "Favourite sport" → favouriteSport, "Région (EU)" → regionEu,
 * "2nd phone" → field2ndPhone. Empty for a label with no letters or digits.
 */
export function keyFromLabel(label: string): string {
  const words = label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const key = words
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]?.toUpperCase() + word.slice(1).toLowerCase()))
    .join('');
  if (key === '') return '';
  return (/^[a-z]/.test(key) ? key : `field${key[0]?.toUpperCase()}${key.slice(1)}`).slice(0, 60);
}

function options(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const unique = [...new Set(value.map((v) => String(v).trim()).filter((v) => v !== ''))];
  return unique.length > 0 ? unique : undefined;
}

/**
 * Defines a new custom field. Beyond the registry's rules (key characters, enum options) the key
 * must be new for its entity: not a built-in field, not another custom field's (a deactivated one
 * included, since records still hold its values under that key).
 */
export async function createCustomField(repos: Repositories, input: Values) {
  const entityKind = input.entityKind;
  const key = text(input.key);
  if (typeof entityKind === 'string' && (CUSTOMIZABLE_KINDS as readonly string[]).includes(entityKind) && key) {
    const entity = getEntity(entityKind);
    if (key in entity.allFields || key === 'customFields') {
      refuse('customField', 'key', `"${key}" is a built-in field of ${entity.plural}`);
    }
    const existing = (await repos.customField.list()).find((d) => d.entityKind === entityKind && d.key === key);
    if (existing) {
      refuse('customField', 'key', `"${key}" is already used by the field “${existing.label}” of ${entity.plural}`);
    }
  }
  const opts = options(input.options);
  const position = typeof input.position === 'number' ? input.position : (await repos.customField.count()) * 10;
  return repos.customField.create({
    ...input,
    ...(key ? { key } : {}),
    ...(text(input.label) ? { label: text(input.label) } : {}),
    options: opts,
    position,
  } as never);
}

/** Edits a definition's label, options, help text, order, required flag and active state. */
export async function updateCustomField(repos: Repositories, id: string, patch: Values) {
  const current = await repos.customField.require(id);
  for (const field of IMMUTABLE) {
    if (field in patch && patch[field] !== undefined && patch[field] !== current[field]) {
      refuse(
        'customField',
        field,
        'cannot change once the field exists (records hold values under it); deactivate it and add a new field',
      );
    }
  }
  const { entityKind: _k, key: _key, fieldType: _t, ...rest } = patch;
  return repos.customField.update(id, {
    ...rest,
    ...('options' in rest ? { options: options(rest.options) ?? null } : {}),
  } as never);
}

/** Hides a field from forms and lists (values stay in the records) or shows it again. */
export async function setCustomFieldActive(repos: Repositories, id: string, active: boolean) {
  return repos.customField.update(id, { active });
}
