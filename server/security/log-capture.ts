/**
 * An app built like the served one (the logger options of log-privacy.ts, not a silenced logger),
 * writing its log lines into memory so a test can read everything the server said.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, inject } from 'vitest';
import { build } from '../app.js';
import type { Db } from '../db/database.js';
import { testConfig } from '../test/harness.js';
import { loggerOptions } from './log-privacy.js';

export interface LoggedApp {
  app: FastifyInstance;
  /** Every line logged so far, as written (JSON). */
  lines: string[];
}

export async function createLoggedApp(db: Db, level = 'debug'): Promise<LoggedApp> {
  const lines: string[] = [];
  const app = await build({
    db,
    config: testConfig({ mediaDir: mkdtempSync(join(inject('mediaRoot'), 'app-')) }),
    logger: { ...loggerOptions({ logLevel: level }), stream: { write: (line: string) => lines.push(line) } },
  });
  afterAll(() => app.close());
  return { app, lines };
}

/** The values that appear somewhere in the log lines. */
export function foundIn(lines: readonly string[], values: readonly string[]): string[] {
  const text = lines.join('');
  // As written, as JSON escapes it, and percent-encoded (a URL that slipped through).
  return values.filter(
    (v) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)) || text.includes(encodeURIComponent(v)),
  );
}
