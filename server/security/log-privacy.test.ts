/**
 * Personal data never reaches the log (issue 9, point 5): an app with the served logger options files
 * people and reports cases with names, phones and ID numbers, then searches for them by query string,
 * follows a case by its tracking code, unmasks, and fails sign-ins with a phone number. None of those
 * values (nor the tracking codes, which are capabilities) may appear in any log line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { createLoggedApp, foundIn, type LoggedApp } from './log-capture.js';
import { loggableUrl } from './log-privacy.js';
import { makeWorld, PLACES, type World } from './security-world.js';

describe('log privacy', () => {
  it('logs a URL as its path and the names of its query parameters', () => {
    expect(loggableUrl('/api/archive/people?idNumber=110101199003074514&q=%E5%BC%A0&q=x')).toBe(
      '/api/archive/people?idNumber=…&q=…',
    );
    expect(loggableUrl('/api/public/cases/NSP76RHQPE/media/abc/thumb')).toBe('/api/public/cases/*/media/abc/thumb');
    expect(loggableUrl('/api/cases')).toBe('/api/cases');
    expect(loggableUrl('/api/cases?')).toBe('/api/cases');
  });

  describe('a run that files and looks up personal data', () => {
    let logged: LoggedApp;
    let world: World;

    beforeAll(async () => {
      const { db } = await createTestDatabase();
      logged = await createLoggedApp(db);
      world = await makeWorld(db, logged.app);
      const [name, idNumber, phone] = world.archivePersonalData.inScope as [string, string, string];
      const [callerName, callerPhone] = world.casePersonalData.inScope as [string, string];
      const ask = (actor: Parameters<World['send']>[0], method: string, url: string, body?: unknown) =>
        world.send(
          actor,
          method,
          url,
          body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
        );
      const q = encodeURIComponent;
      const answers = [
        await ask('admin', 'GET', `/api/archive/people?idNumber=${q(idNumber)}`),
        await ask('admin', 'GET', `/api/archive/people?q=${q(name)}`),
        await ask('dispatcher', 'GET', `/api/cases?q=${q(callerPhone)}`),
        await ask('dispatcher', 'GET', `/api/cases?q=${q(callerName)}`),
        await ask('admin', 'POST', `/api/archive/people/${world.people.inScope}/unmask`, { purpose: 'identity_check' }),
        await ask('anonymous', 'GET', `/api/public/cases/${world.cases.inScope.trackingCode}`),
        await ask('anonymous', 'POST', '/api/session', { username: phone, password: 'wrong-password-1' }),
        await ask('anonymous', 'POST', '/api/resident/session', { phone, password: 'wrong-password-1' }),
      ];
      // The lookups answered (so their requests went the whole way through the server and its log).
      expect(answers.slice(0, 4).map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
      expect(answers[5]?.statusCode).toBe(200);
    });

    it('wrote request lines, with query names but not their values', () => {
      const requestLines = logged.lines.filter((l) => l.includes('"req":'));
      expect(requestLines.length).toBeGreaterThan(20);
      expect(requestLines.some((l) => l.includes('/api/archive/people?idNumber=…'))).toBe(true);
      expect(requestLines.some((l) => l.includes('/api/public/cases/*'))).toBe(true);
    });

    it('holds no name, phone, ID number or tracking code', () => {
      const secrets = [...world.personalData, ...PLACES.map((p) => world.cases[p].trackingCode)];
      expect(secrets.length).toBeGreaterThan(10);
      expect(foundIn(logged.lines, secrets)).toEqual([]);
    });
  });
});
