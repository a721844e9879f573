import type { Transporter } from 'nodemailer';
import type { Database } from '../db/database';
import { PollingLoop } from '../polling-loop';
import {
  type EmailOutcome,
  type EmailSendOptions,
  type SmtpSettings,
  sendNextEmail,
  smtpTransport,
} from './email-sender';
import { type ResearchOutcome, type ResearchRunOptions, runNextResearch } from './research-runner';
import { deliverIntegrationWebhook, type IntegrationDelivery, type WebhookDeliveryOptions } from './webhook-delivery';

/**
 * The integrations' background work, on a timer once started: outgoing webhook deliveries,
 * queued outbound email (email-sender.ts) and queued company research (research-runner.ts). Its queues are Postgres tables claimed with FOR UPDATE SKIP LOCKED (or a
 * lease), so several instances share them and a restart loses nothing.
 */

export interface IntegrationsWorkerOptions {
  db: Database;
  now?: () => Date;
  newId?: () => string;
  pollMs?: number;
  webhooks?: Partial<Omit<WebhookDeliveryOptions, 'now' | 'newId'>>;
  /** SMTP for queued outbound email (SMTP_* of the environment); without it queued email fails with that reason. */
  smtp?: SmtpSettings;
  email?: Partial<Omit<EmailSendOptions, 'now' | 'newId'>>;
  /** Queued research: the endpoint's key (RESEARCH_API_KEY), retries, timeout. */
  research?: Partial<Omit<ResearchRunOptions, 'now' | 'newId'>>;
  /** Told after a write devices pull committed (an integration disabled and its alert task, an email's status, a brief). */
  onCommitted?(collection: 'settings' | 'tasks' | 'activities' | 'research', txid: string): void;
  onError?(error: unknown): void;
}

export class IntegrationsWorker {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly loop: PollingLoop;
  private count = 0;
  private readonly smtp: { settings: SmtpSettings; transport: Transporter } | undefined;

  constructor(private readonly options: IntegrationsWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => `srv_int_${Date.now().toString(36)}_${(++this.count).toString(36)}`);
    this.smtp = options.smtp
      ? { settings: options.smtp, transport: smtpTransport(options.smtp, options.email?.timeoutMs) }
      : undefined;
    this.loop = new PollingLoop(() => this.runOnce(), options.pollMs ?? 1000, options.onError);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.smtp?.transport.close();
  }

  async runOnce(): Promise<{ webhooks: IntegrationDelivery[]; emails: EmailOutcome[]; research: ResearchOutcome[] }> {
    return {
      webhooks: await this.deliverWebhooks(),
      emails: await this.sendEmails(),
      research: await this.runResearch(),
    };
  }

  /** Runs due research jobs one at a time, at most `limit`; their outcomes. */
  async runResearch(limit = 20): Promise<ResearchOutcome[]> {
    const done: ResearchOutcome[] = [];
    while (done.length < limit && !this.loop.closing) {
      const outcome = await runNextResearch(this.options.db, {
        ...this.options.research,
        now: this.now(),
        newId: this.newId,
      });
      if (outcome === undefined) break;
      if (outcome.txid) this.options.onCommitted?.('research', outcome.txid);
      done.push(outcome);
    }
    return done;
  }

  /** Sends due queued email one at a time, at most `limit`; their outcomes. */
  async sendEmails(limit = 50): Promise<EmailOutcome[]> {
    const done: EmailOutcome[] = [];
    while (done.length < limit && !this.loop.closing) {
      const outcome = await sendNextEmail(this.options.db, this.smtp, {
        ...this.options.email,
        now: this.now(),
        newId: this.newId,
      });
      if (outcome === undefined) break;
      if (outcome.txid) this.options.onCommitted?.('activities', outcome.txid);
      done.push(outcome);
    }
    return done;
  }

  /** Sends due webhook deliveries one at a time, at most `limit`; their outcomes. */
  async deliverWebhooks(limit = 50): Promise<IntegrationDelivery[]> {
    const done: IntegrationDelivery[] = [];
    // A stop waits for the round: it ends after the call in flight.
    while (done.length < limit && !this.loop.closing) {
      const delivery = await deliverIntegrationWebhook(this.options.db, {
        ...this.options.webhooks,
        now: this.now(),
        newId: this.newId,
      });
      if (delivery === undefined) break;
      if (delivery.txid) {
        // One transaction wrote both: the integration's new status and its owner's alert task.
        this.options.onCommitted?.('settings', delivery.txid);
        this.options.onCommitted?.('tasks', delivery.txid);
      }
      done.push(delivery);
    }
    return done;
  }
}
