import { type communicationAttachmentEntity, communicationEntity } from '../../../src-shared/entities/content.entity';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { checkFileSize, type FileInput, type StoredFileRef } from '../../files/file-store';
import { assertConsent } from './consent-check';

export type CommunicationRecord = EntityRecord<typeof communicationEntity>;
export type AttachmentRecord = EntityRecord<typeof communicationAttachmentEntity>;
export type SubjectType = CommunicationRecord['subjectType'];

export const SUBJECT_TYPES = communicationEntity.fields.subjectType.values as readonly SubjectType[];

/** What the user fills in; the subject's related ids are worked out here. */
export interface LogCommunicationInput {
  type: string;
  direction?: string;
  status?: string;
  subjectType: string;
  subjectId: string;
  subject?: string;
  body?: string;
  occurredAt: string;
  durationMinutes?: number;
  outcome?: string;
  sentiment?: string;
  fromAddress?: string;
  toAddresses?: string[];
}

/** Where the bytes go before any record names them (the device's FileStore). */
export interface BytesStore {
  add(file: FileInput): Promise<StoredFileRef>;
}

export interface LoggedCommunication {
  communication: CommunicationRecord;
  attachments: AttachmentRecord[];
}

const isSubjectType = (value: string): value is SubjectType => (SUBJECT_TYPES as readonly string[]).includes(value);

/** A checked record back to create input: the repository stamps the system fields again. */
function withoutStamps<T extends Record<string, unknown>>(record: T) {
  const { kind, createdAt, updatedAt, createdBy, updatedBy, isDeleted, newest, deletedAt, ...input } = record;
  return input as never;
}

function subjectProblem(field: string, problem: string): ValidationError {
  return new ValidationError(communicationEntity.name, [{ field, problem }]);
}

/** The contact, company, deal and lead the communication is filed under, from the record it is about. */
async function linksOf(repos: Repositories, subjectType: string, subjectId: string) {
  if (!isSubjectType(subjectType)) throw subjectProblem('subjectType', `must be one of ${SUBJECT_TYPES.join(', ')}`);
  if (subjectId.trim() === '') throw subjectProblem('subjectId', 'is required: choose the record this is about');
  const links: Partial<Record<'contactId' | 'companyId' | 'dealId' | 'leadId', string>> = {};
  const missing = () => subjectProblem('subjectId', `"${subjectId}" is not a ${subjectType} on this device`);
  switch (subjectType) {
    case 'contact': {
      const contact = await repos.contact.get(subjectId);
      if (!contact || contact.isDeleted) throw missing();
      links.contactId = contact.id;
      if (contact.companyId) links.companyId = contact.companyId;
      break;
    }
    case 'company': {
      const company = await repos.company.get(subjectId);
      if (!company || company.isDeleted) throw missing();
      links.companyId = company.id;
      break;
    }
    case 'deal': {
      const deal = await repos.deal.get(subjectId);
      if (!deal || deal.isDeleted) throw missing();
      links.dealId = deal.id;
      if (deal.companyId) links.companyId = deal.companyId;
      if (deal.contactId) links.contactId = deal.contactId;
      break;
    }
    case 'lead': {
      const lead = await repos.lead.get(subjectId);
      if (!lead || lead.isDeleted) throw missing();
      links.leadId = lead.id;
      break;
    }
  }
  return links;
}

/** A placeholder hash for checking attachment metadata before the bytes are hashed. */
const UNHASHED = '0'.repeat(64);

/**
 * Logs a call, meeting, email... with its attachments, all or nothing:
 * 1. everything is checked first: the subject record exists on this device, the communication
 *    passes the registry (a bad `occurredAt` is named), its person consents to its channel (consent-check.ts), each file is under the size limit and its
 *    attachment record is valid;
 * 2. the files' bytes are stored on the device (durable before any record names them);
 * 3. the communication and its attachment records are written; if a write fails, what was
 *    written is removed again. Stored bytes nobody names are harmless (content-addressed).
 */
export async function logCommunication(
  repos: Repositories,
  bytes: BytesStore,
  input: LogCommunicationInput,
  files: readonly FileInput[] = [],
): Promise<LoggedCommunication> {
  const { subjectType, subjectId } = input;
  const links = await linksOf(repos, subjectType, subjectId);
  const communication = await repos.communication.check({ ...input, ...links } as never);
  await assertConsent(repos, communication);

  for (const file of files) checkFileSize(file);
  const metadata = (file: FileInput, ref?: StoredFileRef) => ({
    communicationId: communication.id,
    fileName: file.name,
    mimeType: ref?.mimeType ?? (file.type || 'application/octet-stream'),
    sizeBytes: ref?.sizeBytes ?? file.size,
    sha256: ref?.sha256 ?? UNHASHED,
    storageKey: `sha256/${ref?.sha256 ?? UNHASHED}`,
  });
  for (const [index, file] of files.entries()) {
    try {
      await repos.communicationAttachment.check(metadata(file));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(error.entity, error.problems, index);
    }
  }

  const stored: StoredFileRef[] = [];
  for (const file of files) stored.push(await bytes.add(file));
  const inputs = files.map((file, i) => metadata(file, stored[i]));

  await repos.communication.create(withoutStamps(communication));
  try {
    if (inputs.length > 0) await repos.communicationAttachment.bulkCreate(inputs);
  } catch (error) {
    await repos.communication.discard(communication.id);
    throw error;
  }
  return {
    communication: await repos.communication.require(communication.id),
    attachments: await repos.communicationAttachment.list({ where: { communicationId: communication.id } }),
  };
}
