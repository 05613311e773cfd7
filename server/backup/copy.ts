/**
 * PostgreSQL's COPY over a `pg` client, without another dependency: `pg` hands a query object with
 * the right methods (a "submittable") the protocol's messages — CopyData out of the server, and the
 * CopyInResponse after which we may send data in. COPY's text format is what pg_dump writes: every
 * type's own output and input functions, so values come back exactly (timestamps to the microsecond,
 * jsonb, arrays, bytea). Both directions honour back-pressure: a slow file pauses the socket, a slow
 * server pauses the file.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type pg from 'pg';

/** The parts of pg's connection a submittable talks to. */
interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: { pause(): void; resume(): void; writableNeedDrain?: boolean; once(event: 'drain', fn: () => void): void };
}

abstract class CopyQuery {
  private rows = 0;
  protected settled = false;
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;

  constructor(private readonly text: string) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: Connection): null {
    connection.query(this.text);
    return null;
  }

  handleCommandComplete(msg: { text: string }): void {
    this.rows = Number(/\d+$/.exec(msg.text)?.[0] ?? 0);
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  /** An ErrorResponse (pg clears the active query then: no ReadyForQuery reaches us) or a dead socket. */
  handleError(error: Error): void {
    this.settle(error);
  }

  protected settle(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.reject(error);
    else this.resolve(this.rows);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  abstract handleCopyInResponse(connection: Connection): void;
  abstract handleCopyData(msg: { chunk: Buffer }, connection: Connection): void;
}

class CopyOut extends CopyQuery {
  constructor(
    text: string,
    private readonly sink: Writable,
  ) {
    super(text);
  }

  handleCopyData(msg: { chunk: Buffer }, connection: Connection): void {
    if (!this.sink.write(msg.chunk)) {
      connection.stream.pause();
      this.sink.once('drain', () => connection.stream.resume());
    }
  }

  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail('not a COPY FROM');
  }
}

class CopyIn extends CopyQuery {
  constructor(
    text: string,
    private readonly source: Readable,
  ) {
    super(text);
  }

  handleCopyInResponse(connection: Connection): void {
    void this.pump(connection);
  }

  private async pump(connection: Connection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        // After an ErrorResponse the server drops whatever follows: stop reading.
        if (this.settled) return;
        connection.sendCopyFromChunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        if (connection.stream.writableNeedDrain) await once(connection.stream as unknown as Writable, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }

  handleCopyData(): void {}
}

/** `COPY … TO STDOUT` into `sink` (not ended); resolves with the number of rows once the server is done. */
export async function copyOut(client: pg.ClientBase, statement: string, sink: Writable): Promise<number> {
  const query = new CopyOut(statement, sink);
  client.query(query as unknown as pg.QueryConfig);
  return query.done;
}

/** `COPY … FROM STDIN` from `source`; resolves with the number of rows the server took. */
export async function copyIn(client: pg.ClientBase, statement: string, source: Readable): Promise<number> {
  const query = new CopyIn(statement, source);
  client.query(query as unknown as pg.QueryConfig);
  return query.done;
}
