import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  mergeTimeline,
  observeAttachments,
  observeTimeline,
  type TimelineItem,
} from '../../../../../src-renderer/features/timeline/timeline.queries';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const item = (key: string, at: string): TimelineItem => ({
  key,
  kind: 'note',
  id: key,
  at,
  type: 'general',
  title: key,
});

describe('mergeTimeline', () => {
  it('merges the sources newest first and cuts at the limit', () => {
    const page = mergeTimeline(
      [
        { items: [item('a', '2026-01-03T00:00:00Z'), item('b', '2026-01-01T00:00:00Z')], full: false },
        { items: [item('c', '2026-01-04T00:00:00Z'), item('d', '2026-01-02T00:00:00Z')], full: false },
      ],
      3,
    );
    expect(page.items.map((i) => i.key)).toEqual(['c', 'a', 'd']);
    expect(page.hasMore).toBe(true);
  });

  it('orders equal times by key, drops duplicates, and has no more when every source was short', () => {
    const at = '2026-01-01T00:00:00Z';
    const page = mergeTimeline(
      [
        { items: [item('z', at), item('m', at)], full: false },
        { items: [item('m', at), item('a', at)], full: false },
      ],
      10,
    );
    expect(page.items.map((i) => i.key)).toEqual(['a', 'm', 'z']);
    expect(page.hasMore).toBe(false);
  });

  it('says there is more when a source returned a full page', () => {
    expect(mergeTimeline([{ items: [item('a', '2026-01-01T00:00:00Z')], full: true }], 10).hasMore).toBe(true);
  });
});

describe('observeTimeline on a database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  async function contactWithHistory() {
    const contact = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    const other = await t.repos.contact.create({ firstName: 'Other' });
    t.tick();
    const call = await t.repos.communication.create({
      type: 'call',
      subjectType: 'contact',
      subjectId: contact.id,
      subject: 'Discovery call',
      occurredAt: '2026-10-20T10:00:00.000Z',
    });
    t.tick();
    const email = await t.repos.communication.create({
      type: 'email',
      subjectType: 'contact',
      subjectId: contact.id,
      subject: 'Proposal',
      occurredAt: '2026-10-25T10:00:00.000Z',
    });
    await t.repos.communicationAttachment.create({
      communicationId: email.id,
      fileName: 'proposal.pdf',
      mimeType: 'application/pdf',
      sizeBytes: 1000,
    });
    t.tick();
    const note = await t.repos.note.create({ subjectType: 'contact', subjectId: contact.id, body: 'Likes tea' });
    t.tick();
    const task = await t.repos.task.create({
      title: 'Send pricing',
      subjectType: 'contact',
      subjectId: contact.id,
      status: 'completed',
      completedAt: '2026-10-22T10:00:00.000Z',
    });
    // Records about someone else, and a deleted note, stay out.
    await t.repos.note.create({ subjectType: 'contact', subjectId: other.id, body: 'Not Ada' });
    const gone = await t.repos.note.create({ subjectType: 'contact', subjectId: contact.id, body: 'Deleted' });
    await t.repos.note.softDelete(gone.id);
    return { contact, call, email, note, task };
  }

  it('merges communications, notes and tasks about the subject, newest first', async () => {
    const { contact, call, email, note, task } = await contactWithHistory();
    const page = await firstValueFrom(observeTimeline(t.repos, 'contact', contact.id, 100));
    // The note was written on the test clock (2026-11-01), after the dated communications and task.
    expect(page.items.map((i) => i.key)).toEqual([
      `note:${note.id}`,
      `communication:${email.id}`,
      `task:${task.id}`,
      `communication:${call.id}`,
    ]);
    expect(page.hasMore).toBe(false);
    expect(page.items[1]).toMatchObject({ title: 'Proposal', type: 'email', at: '2026-10-25T10:00:00.000Z' });
  });

  it('pages: a limit smaller than the history leaves more to show', async () => {
    const { contact, note } = await contactWithHistory();
    const page = await firstValueFrom(observeTimeline(t.repos, 'contact', contact.id, 1));
    expect(page.items.map((i) => i.key)).toEqual([`note:${note.id}`]);
    expect(page.hasMore).toBe(true);
  });

  it('reads a communication’s attachments', async () => {
    const { call, email } = await contactWithHistory();
    const files = await firstValueFrom(observeAttachments(t.repos, [email.id, call.id]));
    expect(files.get(email.id)?.map((f) => f.fileName)).toEqual(['proposal.pdf']);
    expect(files.get(call.id)).toEqual([]);
  });

  it('shows a deal’s stage changes and a lead’s activities', async () => {
    const deal = await t.repos.deal.create({ name: 'Big deal' });
    await t.repos.dealStageHistory.create({
      dealId: deal.id,
      fromStage: 'prospecting',
      toStage: 'qualification',
      changedAt: '2026-10-01T00:00:00.000Z',
      changedBy: 'user-rep-1',
    });
    const dealPage = await firstValueFrom(observeTimeline(t.repos, 'deal', deal.id, 10));
    expect(dealPage.items.map((i) => i.title)).toEqual(['Prospecting → Qualification']);

    const lead = await t.repos.lead.create({ lastName: 'Hopper' });
    await t.repos.leadActivity.create({
      leadId: lead.id,
      type: 'formSubmitted',
      occurredAt: '2026-10-02T00:00:00.000Z',
    });
    const leadPage = await firstValueFrom(observeTimeline(t.repos, 'lead', lead.id, 10));
    expect(leadPage.items.map((i) => [i.kind, i.title])).toEqual([['leadActivity', 'Form submitted']]);
  });

  it('shows only the kinds asked for, and a contact’s content interactions with the content named', async () => {
    const { contact, call, email } = await contactWithHistory();
    const onlyComms = await firstValueFrom(observeTimeline(t.repos, 'contact', contact.id, 100, ['communication']));
    expect(onlyComms.items.map((i) => i.id)).toEqual([email.id, call.id]);

    const content = await t.repos.content.create({ title: 'CRM buyer guide', type: 'ebook' });
    await t.repos.contentInteraction.create({
      contentId: content.id,
      subjectType: 'contact',
      subjectId: contact.id,
      type: 'download',
      occurredAt: '2026-10-30T00:00:00.000Z',
    });
    const page = await firstValueFrom(observeTimeline(t.repos, 'contact', contact.id, 100, ['contentInteraction']));
    expect(page.items).toEqual([
      expect.objectContaining({
        kind: 'contentInteraction',
        title: 'Content download',
        ref: { entity: 'content', id: content.id },
      }),
    ]);
  });
});
