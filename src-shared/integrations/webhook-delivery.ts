/**
 * One call of a webhook integration as the sync server logs it and sends it to Settings →
 * Integrations (`GET /integrations/:id/deliveries`): declared once, so the server's query and the
 * app's delivery log read the same fields.
 */

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  event: string;
  recordKind: string;
  recordId: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseExcerpt: string | null;
  lastError: string | null;
  durationMs: number | null;
  replayOf: string | null;
  /** ISO times, UTC. */
  createdAt: string;
  sentAt: string | null;
  /** While pending: when the next attempt is due. */
  nextAttemptAt: string | null;
}
