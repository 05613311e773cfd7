/**
 * Live events for open screens. Every committed case step NOTIFYs `case_events`, every notification
 * row `notifications` (in the writer's transaction, so only committed changes are announced, in
 * commit order). Each server LISTENs on one dedicated connection and fans out to its own streams,
 * so several servers behind a balancer each push every change to their own clients.
 *
 * A subscriber receives a case event only when its actor may read that case (the same policy as
 * GET /api/cases/:id), and a notification signal only when it is one of the recipients.
 */
import pg from 'pg';
import type { Actor } from '../accounts/actor.js';
import { canReadCase } from '../cases/case.policy.js';
import { findCase } from '../cases/case.repository.js';
import type { Db } from '../db/database.js';

export interface LiveSubscriber {
  actor: Actor;
  send(event: 'case' | 'notification', data: Record<string, unknown>): void;
}

export interface HubLog {
  error(obj: unknown, msg: string): void;
}

const CHANNELS = ['case_events', 'notifications'] as const;
const RECONNECT_MS = [500, 1_000, 2_000, 5_000, 10_000];

export class EventHub {
  private client: pg.Client | null = null;
  private readonly subscribers = new Set<LiveSubscriber>();
  /** Messages are handled one after another so clients see them in commit order. */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly db: Db,
    private readonly log: HubLog,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Connects and LISTENs; on a lost connection it reconnects with back-off until stopped. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'gridloop-live' });
    client.on('notification', (message) => {
      if (!message.payload) return;
      const { channel, payload } = message;
      this.queue = this.queue
        .then(() => this.dispatch(channel, payload))
        .catch((error) => this.log.error({ err: error }, 'live event dispatch failed'));
    });
    client.on('error', (error) => {
      this.log.error({ err: error }, 'live event connection lost; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    for (const channel of CHANNELS) await client.query(`listen ${channel}`);
    this.client = client;
    this.attempts = 0;
  }

  private reconnect(dead: pg.Client): void {
    if (this.stopped || this.client !== dead || this.timer) return;
    this.client = null;
    const delay = RECONNECT_MS[Math.min(this.attempts, RECONNECT_MS.length - 1)] ?? 10_000;
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().catch((error) => {
        this.log.error({ err: error }, 'live event reconnect failed');
        this.client = dead;
        this.reconnect(dead);
      });
    }, delay);
    this.timer.unref();
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private async dispatch(channel: string, payload: string): Promise<void> {
    if (this.subscribers.size === 0) return;
    const message = JSON.parse(payload) as Record<string, unknown>;
    if (channel === 'notifications') {
      const ids = new Set(Array.isArray(message.ids) ? (message.ids as string[]) : []);
      for (const s of this.subscribers) if (ids.has(s.actor.id)) s.send('notification', {});
      return;
    }
    if (typeof message.caseId !== 'string') return;
    const c = await findCase(this.db, message.caseId);
    if (!c) return;
    const event = {
      caseId: c.id,
      number: c.number,
      seq: message.seq ?? null,
      state: c.state,
      version: c.version,
      departmentId: c.departmentId,
    };
    for (const s of this.subscribers) if (canReadCase(s.actor, c)) s.send('case', event);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    await this.queue.catch(() => {});
  }
}
