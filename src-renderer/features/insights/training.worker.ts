/// <reference lib="webworker" />
import { type TrainingReply, type TrainingRequest, train } from './training';

/** Trains one model per message off the page's thread (see training.ts). */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<TrainingRequest>) => {
  let reply: TrainingReply;
  try {
    reply = { ok: true, model: train(event.data) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply);
};
