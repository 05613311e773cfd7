/**
 * `npm run bench` / `gridloop bench [name]`: runs the benchmarks and writes bench/results/<name>.json.
 * More benchmarks join as their issues land (see docs/benchmarks.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runExportBench } from './exports.js';
import { runPlacementBench } from './placement.js';
import { runWebBench } from './web.js';

const BENCHES: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  placement: () => runPlacementBench({}) as unknown as Record<string, unknown>,
  web: () => runWebBench() as unknown as Promise<Record<string, unknown>>,
  exports: () => runExportBench() as unknown as Promise<Record<string, unknown>>,
};

export async function runBench(name?: string): Promise<void> {
  const names = name ? [name] : Object.keys(BENCHES);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    const bench = BENCHES[n];
    if (!bench) throw new Error(`unknown benchmark ${n}; known: ${Object.keys(BENCHES).join(', ')}`);
    const result = await bench();
    const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
    writeFileSync(
      join(dir, `${n}.json`),
      JSON.stringify({ name: n, at: new Date().toISOString(), machine, result }, null, 2),
    );
    console.table(result);
  }
}
