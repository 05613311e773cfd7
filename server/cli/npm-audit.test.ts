/**
 * CI's dependency audit (.ci/npm-audit.mjs, issue 9 point 7): an advisory fails the run unless the
 * commented allow-list names it with a date not yet past; a malformed list fails; an audit endpoint
 * that cannot be reached passes with a clear warning (or fails with NPM_AUDIT_STRICT=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script of CI's, without type declarations.
import { advisoriesOf, judge, parseAllowList } from '../../.ci/npm-audit.mjs';

const SCRIPT = resolve('.ci/npm-audit.mjs');

/** An npm 7+ `npm audit --json` report with one advisory on `name`, reached through `parent`. */
const report = (id: string, name: string, parent = 'some-tool') => ({
  auditReportVersion: 2,
  vulnerabilities: {
    [name]: {
      name,
      severity: 'high',
      via: [
        {
          source: 1099999,
          name,
          title: 'Prototype pollution',
          url: `https://github.com/advisories/${id}`,
          severity: 'high',
        },
      ],
    },
    [parent]: { name: parent, severity: 'high', via: [name] },
  },
  metadata: { vulnerabilities: { total: 2 } },
});

function run(saved: unknown, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'gridloop-audit-')), 'audit.json');
  writeFileSync(file, JSON.stringify(saved));
  return spawnSync(process.execPath, [SCRIPT, '--report', file], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('npm audit in CI', () => {
  it('reads the allow-list: ids, packages, dates and reasons, comments ignored, bad lines named', () => {
    const { entries, problems } = parseAllowList(
      '# a comment\nGHSA-2222-3333-4444  vite  2027-01-31  dev server only; never served\n\nnot an entry\n',
    );
    expect(entries).toEqual([
      { id: 'GHSA-2222-3333-4444', name: 'vite', until: '2027-01-31', reason: 'dev server only; never served' },
    ]);
    expect(problems).toEqual([expect.stringContaining('line 4')]);
  });

  it('fails an advisory not allowed, or allowed past its date; names entries no longer needed', () => {
    const advisories = advisoriesOf(report('GHSA-2222-3333-4444', 'vite'));
    expect(advisories).toEqual([expect.objectContaining({ id: 'GHSA-2222-3333-4444', name: 'vite' })]);
    expect(judge(advisories, [], '2026-12-01').failures).toHaveLength(1);
    const allowed = [{ id: 'GHSA-2222-3333-4444', name: 'vite', until: '2027-01-31', reason: 'dev only' }];
    expect(judge(advisories, allowed, '2026-12-01')).toEqual({ failures: [], unused: [] });
    expect(judge(advisories, allowed, '2027-02-01').failures).toEqual([expect.stringContaining('has passed')]);
    const stale = [{ id: 'GHSA-5555-6666-7777', name: 'left-pad', until: '2027-01-31', reason: 'old' }];
    expect(judge([], stale, '2026-12-01')).toEqual({ failures: [], unused: stale });
  });

  it('as a command: fails on an advisory of the report, passes a clean one, and passes an unreachable endpoint softly', () => {
    const bad = run(report('GHSA-2222-3333-4444', 'vite'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('GHSA-2222-3333-4444 vite');
    const clean = run({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { total: 0 } } });
    expect(clean.status, clean.stderr).toBe(0);
    const unreachable = {
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
    };
    const soft = run(unreachable);
    expect(soft.status).toBe(0);
    expect(soft.stderr).toContain('NOT checked');
    expect(run(unreachable, { NPM_AUDIT_STRICT: '1' }).status).toBe(1);
  });
});
