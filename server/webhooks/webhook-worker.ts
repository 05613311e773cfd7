/**
 * The webhook job: every couple of seconds, in every server process, the dispatcher turns new
 * committed case events and lights into deliveries, and the sender sends what is due. Both are
 * safe to run in several processes at once (cursor row lock, delivery leases), so no leader is
 * needed; a tick still running when the next is due is not doubled.
 */
import { dispatchWebhookEvents } from './webhook-dispatcher.js';
import { type SendOptions, sendDueDeliveries } from './webhook-sender.js';

export interface WebhookWorkerOptions {
  log: { error: (obj: unknown, msg: string) => void };
  everyMs?: number;
  send: SendOptions;
}

export interface WebhookWorker {
  /** One tick now (tests and the shutdown path); resolves when it is done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startWebhookWorker(db: Parameters<typeof dispatchWebhookEvents>[0], options: WebhookWorkerOptions) {
  let running: Promise<void> | null = null;
  let stopping = false;
  const send = { ...options.send, keepGoing: () => !stopping };
  const tick = () => {
    running ??= (async () => {
      try {
        await dispatchWebhookEvents(db);
        await sendDueDeliveries(db, send);
      } catch (error) {
        options.log.error({ err: error }, 'webhook tick failed; will retry');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? 2_000);
  timer.unref();
  return {
    tick,
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  } satisfies WebhookWorker;
}
