/**
 * GET requests' arguments as the specification reads them: absent and empty alike, ids first,
 * comma lists, the 90-day range and its defaults, the 1,000 cap, the paging extension.
 */
import { describe, expect, it } from 'vitest';
import { parseRequestQuery } from './request-query.js';

const now = new Date('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const problem = (query: Record<string, string>) => {
  try {
    parseRequestQuery(query, now);
  } catch (error) {
    return error as { code: string; fields: { path: string; reason: string }[] };
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
};

describe('Open311 GET requests arguments', () => {
  it('defaults to the most recent 90 days, the first 1,000, all codes and statuses', () => {
    expect(parseRequestQuery({}, now)).toEqual({
      kind: 'search',
      serviceCodes: null,
      statuses: null,
      start: new Date(now.getTime() - 90 * DAY),
      end: now,
      page: 1,
      pageSize: 1_000,
      extensions: false,
    });
    // An empty argument is an absent one.
    expect(parseRequestQuery({ service_code: '', status: ' ', start_date: '', page: '' }, now)).toEqual(
      parseRequestQuery({}, now),
    );
  });

  it('runs 90 days from a start or up to an end given alone; both given may span 90 days, no more', () => {
    const start = '2026-06-01T00:00:00+08:00';
    expect(parseRequestQuery({ start_date: start }, now)).toMatchObject({
      start: new Date(start),
      end: new Date(Date.parse(start) + 90 * DAY),
    });
    expect(parseRequestQuery({ end_date: '2026-06-01T00:00:00Z' }, now)).toMatchObject({
      start: new Date(Date.parse('2026-06-01T00:00:00Z') - 90 * DAY),
    });
    expect(
      parseRequestQuery({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00Z' }, now),
    ).toMatchObject({ kind: 'search' });
    expect(problem({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:01Z' })).toMatchObject({
      code: 'OPEN311_DATE_RANGE_INVALID',
      fields: [{ path: 'end_date', reason: 'more than 90 days after start_date' }],
    });
    expect(problem({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }).fields[0]?.reason).toBe(
      'before start_date',
    );
  });

  it('takes W3C times with a zone only', () => {
    for (const ok of ['2026-01-01T00:00Z', '2026-01-01T00:00:00.5-05:00', '2026-01-01T08:00:00+08:00'])
      expect(parseRequestQuery({ start_date: ok }, now).kind, ok).toBe('search');
    for (const bad of ['2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', '01/01/2026', '1767225600'])
      expect(problem({ start_date: bad }).code, bad).toBe('OPEN311_DATE_RANGE_INVALID');
  });

  it('reads ids, codes and statuses as comma lists; ids override everything else', () => {
    const id = '019a0000-0000-7000-8000-000000000001';
    expect(
      parseRequestQuery({ service_request_id: `${id}, ${id}`, status: 'nonsense', start_date: 'bad', page: '0' }, now),
    ).toEqual({ kind: 'ids', ids: [id], extensions: false });
    expect(parseRequestQuery({ service_code: '0101,0102', status: 'open,closed' }, now)).toMatchObject({
      serviceCodes: ['0101', '0102'],
      statuses: ['open', 'closed'],
    });
    expect(problem({ service_request_id: `${id},310104-20261122-00042` }).code).toBe('OPEN311_PARAMETER_INVALID');
    expect(
      problem({
        service_request_id: Array.from({ length: 1_001 }, () => id)
          .map((v, i) => v.slice(0, -4) + String(i).padStart(4, '0'))
          .join(','),
      }).fields[0]?.reason,
    ).toBe('at most 1000 ids');
    expect(problem({ service_code: '01' }).fields[0]?.path).toBe('service_code');
    expect(problem({ status: 'open,pending' }).fields[0]?.path).toBe('status');
  });

  it('pages by page and page_size, at most 1,000 a page', () => {
    expect(parseRequestQuery({ page: '3', page_size: '50' }, now)).toMatchObject({ page: 3, pageSize: 50 });
    const wrong: Record<string, string>[] = [
      { page: '0' },
      { page: '-1' },
      { page: '1.5' },
      { page_size: '1001' },
      { page_size: 'all' },
    ];
    for (const bad of wrong) expect(problem(bad).code, JSON.stringify(bad)).toBe('OPEN311_PARAMETER_INVALID');
  });

  it('adds the update history only for extensions=true', () => {
    expect(parseRequestQuery({ extensions: 'true' }, now).extensions).toBe(true);
    expect(parseRequestQuery({ extensions: 'false' }, now).extensions).toBe(false);
    expect(problem({ extensions: '1' }).fields[0]?.path).toBe('extensions');
  });
});
