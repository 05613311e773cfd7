// Reads Vitest JSON reports; fails unless tests ran, the database suites among them, and none failed.
import { readFileSync } from 'node:fs';

const MUST_RUN = [
  'server/audit/audit.chain.test.ts',
  'server/accounts/session.test.ts',
  'server/territory/unit.routes.test.ts',
];
let passed = 0;
let failed = 0;
let skipped = 0;
const files = new Map();
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    const name = suite.name.replace(`${process.cwd()}/`, '');
    files.set(name, suite.assertionResults.filter((a) => a.status === 'passed').length);
  }
}
const missing = MUST_RUN.filter((f) => !(files.get(f) > 0));
console.log(
  `${files.size} test files; database suites: ${MUST_RUN.map((f) => `${f}=${files.get(f) ?? 0}`).join(', ')}`,
);
if (missing.length) {
  console.error(`database tests did not run: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || passed === 0) process.exit(1);
