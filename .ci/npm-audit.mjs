#!/usr/bin/env node
// `npm audit` for CI: fails on any advisory that is not in the allow-list (.ci/npm-audit-allow.txt),
// on an allow-list entry past its date, and on a malformed entry. The registry's audit endpoint is a
// service of its own: when it cannot be reached (offline, a mirror without it) the run says so
// clearly and passes, unless NPM_AUDIT_STRICT=1. `--report <file>` judges a saved `npm audit --json`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ENTRY = /^(GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\s+(\S+)\s+(\d{4}-\d{2}-\d{2})\s+(\S.*)$/;

/** Entries of the allow-list: `GHSA-… package until-date reason`; `#` starts a comment. */
export function parseAllowList(text) {
  const entries = [];
  const problems = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = ENTRY.exec(line);
    if (!m) problems.push(`line ${i + 1}: expected "GHSA-xxxx-xxxx-xxxx <package> <YYYY-MM-DD> <reason>"`);
    else entries.push({ id: m[1], name: m[2], until: m[3], reason: m[4] });
  });
  return { entries, problems };
}

/** The advisories of an `npm audit --json` report (npm 7+), one per id and package. */
export function advisoriesOf(report) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue; // a name: the advisory is listed under that package
      const id = /GHSA(?:-[\w]{4}){3}/.exec(via.url ?? '')?.[0] ?? `npm-${via.source}`;
      found.set(`${id} ${via.name}`, { id, name: via.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  return [...found.values()];
}

/** What fails the run: advisories not allowed, allowed ones past their date; and allow-list lines no longer needed. */
export function judge(advisories, entries, today = new Date().toISOString().slice(0, 10)) {
  const allowed = (a) => entries.find((e) => e.id === a.id && e.name === a.name);
  const failures = [];
  for (const a of advisories) {
    const entry = allowed(a);
    if (!entry) failures.push(`${a.id} ${a.name} (${a.severity}): ${a.title} — ${a.url ?? 'no link'}`);
    else if (entry.until < today) failures.push(`${a.id} ${a.name}: allowed until ${entry.until}, which has passed`);
  }
  const unused = entries.filter((e) => !advisories.some((a) => a.id === e.id && a.name === e.name));
  return { failures, unused };
}

/** The report, or why there is none (the endpoint could not be reached or answered no report). */
function readReport(argv) {
  const at = argv.indexOf('--report');
  if (at !== -1) return { report: JSON.parse(readFileSync(argv[at + 1], 'utf8')) };
  const run = spawnSync('npm', ['audit', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let report;
  try {
    report = JSON.parse(run.stdout || '{}');
  } catch {
    return { unreachable: (run.stderr || run.stdout || 'no output').trim().split('\n').slice(-3).join(' ') };
  }
  return { report };
}

function main(argv) {
  const allowFile = join(HERE, 'npm-audit-allow.txt');
  const { entries, problems } = parseAllowList(readFileSync(allowFile, 'utf8'));
  if (problems.length) {
    console.error(`npm audit: ${allowFile} is malformed:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const { report, unreachable } = readReport(argv);
  const failedToFetch =
    unreachable ??
    (report && !report.vulnerabilities
      ? (report.message ?? report.error?.summary ?? 'no vulnerabilities in the answer')
      : undefined);
  if (failedToFetch !== undefined) {
    const strict = process.env.NPM_AUDIT_STRICT === '1';
    console.warn(
      `npm audit: the registry's audit endpoint could not be used (${failedToFetch}). ` +
        `Dependencies were NOT checked${strict ? '' : '; passing (set NPM_AUDIT_STRICT=1 to fail instead)'}.`,
    );
    return strict ? 1 : 0;
  }
  const { failures, unused } = judge(advisoriesOf(report), entries);
  for (const e of unused)
    console.log(`npm audit: allow-list entry ${e.id} ${e.name} matches no advisory any more; remove it`);
  if (failures.length) {
    console.error(
      `npm audit: ${failures.length} advisory(ies) not in .ci/npm-audit-allow.txt:\n  ${failures.join('\n  ')}`,
    );
    return 1;
  }
  const total = report.metadata?.vulnerabilities?.total ?? 0;
  console.log(`npm audit: ${total} known vulnerable package(s), every advisory allowed (${entries.length} entries)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
