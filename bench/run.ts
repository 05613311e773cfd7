/**
 * `npm run bench` / `gridloop bench [name] [--scale small|medium|full]`: runs the benchmarks and writes
 * bench/results/<name>.json. The scale reaches the benchmarks that have sizes (default medium); `--reuse`
 * measures again what the last run of a generating benchmark (indicators, archive) left in its cluster.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../server/cli/output.js';
import { type ArchiveBenchResult, printArchiveBench, runArchiveBench } from './archive.js';
import { type CrashBenchResult, printCrashBench, runCrashBench } from './crash.js';
import { runExportBench } from './exports.js';
import { type IndicatorBenchResult, printIndicatorBench, runIndicatorBench, SCALES, type Scale } from './indicators.js';
import { type IntakeBenchResult, printIntakeBench, runIntakeBench } from './intake.js';
import { runPlacementBench } from './placement.js';
import { printSoakBench, runSoakBench, type SoakBenchResult } from './soak.js';
import { printSweepBench, runSweepBench, type SweepBenchResult } from './sweep.js';
import { runWebBench } from './web.js';

interface Bench {
  run(options: { scale: Scale; reuse: boolean }): Promise<object> | object;
  /** Prints the result; console.table when absent. */
  print?(result: object): void;
}

const BENCHES: Record<string, Bench> = {
  // small (CI): 200,000 points once, every one of the first 20,000 checked against an exact search.
  placement: {
    run: ({ scale }) =>
      runPlacementBench(scale === 'small' ? { points: 200_000, rounds: 1, check: 20_000 } : { check: 20_000 }),
  },
  web: { run: () => runWebBench() },
  exports: { run: () => runExportBench() },
  indicators: {
    run: ({ scale, reuse }) => runIndicatorBench({ scale, reuse }),
    print: (result) => printIndicatorBench(result as IndicatorBenchResult),
  },
  intake: {
    run: ({ scale }) => runIntakeBench({ scale }),
    print: (result) => printIntakeBench(result as IntakeBenchResult),
  },
  sweep: {
    run: ({ scale }) => runSweepBench({ scale }),
    print: (result) => printSweepBench(result as SweepBenchResult),
  },
  archive: {
    run: ({ scale, reuse }) => runArchiveBench({ scale, reuse }),
    print: (result) => printArchiveBench(result as ArchiveBenchResult),
  },
  crash: {
    run: ({ scale }) => runCrashBench({ scale }),
    print: (result) => printCrashBench(result as CrashBenchResult),
  },
  soak: {
    run: ({ scale }) => runSoakBench({ scale }),
    print: (result) => printSoakBench(result as SoakBenchResult),
  },
};

export async function runBench(name?: string, scale = 'medium', reuse = false): Promise<void> {
  if (!(SCALES as readonly string[]).includes(scale))
    throw new CliError(`--scale 须为 / must be one of ${SCALES.join(', ')}`, 2);
  const names = name ? [name] : Object.keys(BENCHES);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    const bench = BENCHES[n];
    if (!bench) throw new Error(`unknown benchmark ${n}; known: ${Object.keys(BENCHES).join(', ')}`);
    const result = await bench.run({ scale: scale as Scale, reuse });
    const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
    writeFileSync(
      join(dir, `${n}.json`),
      JSON.stringify({ name: n, at: new Date().toISOString(), machine, result }, null, 2),
    );
    if (bench.print) bench.print(result);
    else console.table(result);
  }
}
