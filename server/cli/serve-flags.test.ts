/**
 * `npm start` runs the server with the V8 flags `gridloop serve` is measured with (the benchmarks start
 * their servers with SERVE_NODE_FLAGS): the two lists must not drift apart.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from './serve.js';

describe('the server’s Node flags', () => {
  it('are the ones package.json starts it with, before the script', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const words = pkg.scripts.start?.split(/\s+/) ?? [];
    expect(words[0]).toBe('node');
    const script = words.indexOf('bin/gridloop.mjs');
    expect(words.slice(1, script)).toEqual([...SERVE_NODE_FLAGS]);
    expect(words.slice(script + 1)).toEqual(['serve']);
  });
});
