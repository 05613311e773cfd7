/**
 * The intake benchmark's reports must be ones the report routes take (the CI smoke would otherwise
 * measure 400s) and a grid worker's must lie in one of that worker's grids (else 403).
 */
import { describe, expect, it } from 'vitest';
import { ZPublicReportRequest, ZStaffReportRequest } from '../server/cases/case.schema.js';
import { generateDemo } from '../server/seed/demo-data.js';
import { SpatialIndex } from '../server/territory/geo/spatial-index.js';
import { reportWriter } from './intake-load.js';
import type { LoadGrid } from './intake-world.js';

const demo = generateDemo();
const teams = demo.units.filter((u) => u.level === 'responsibility_grid').map((u) => u.code);
const grids: LoadGrid[] = demo.units.flatMap((u) =>
  u.level === 'grid' && u.geometry && u.parentCode
    ? [
        {
          code: u.code,
          path: `${u.code}.`,
          geometry: u.geometry,
          committee: '梧桐苑',
          roads: ['梧桐路', '丁香路', '枫林路'],
          worker: teams.indexOf(u.parentCode),
        },
      ]
    : [],
);
const categories = [
  { code: '0101', nameZh: '上水井盖', majorNameZh: '公用设施' },
  { code: '0201', nameZh: '道路破损', majorNameZh: '道路交通' },
  { code: '1001', nameZh: '暴露垃圾', majorNameZh: '市容环境' },
];

describe('intake load generator', () => {
  it('writes reports the routes accept, alternating patrol and resident, each in a grid of its worker', () => {
    expect(grids.length).toBeGreaterThan(0);
    expect(grids.every((g) => g.worker >= 0)).toBe(true);
    const write = reportWriter({ seed: 7, grids, categories });
    const index = SpatialIndex.build(grids);
    const reports = Array.from({ length: 200 }, (_, n) => write(n));
    for (const [n, r] of reports.entries()) {
      expect(r.channel).toBe(n % 2 === 0 ? 'patrol' : 'resident');
      const schema = r.channel === 'patrol' ? ZStaffReportRequest : ZPublicReportRequest;
      expect(schema.safeParse(r.body).error).toBeUndefined();
      expect(index.locate(Number(r.body.lng), Number(r.body.lat))?.worker).toBe(r.worker);
    }
    // Text and places vary, so the duplicate check has real work.
    expect(new Set(reports.map((r) => r.body.description)).size).toBeGreaterThan(150);
    expect(new Set(reports.map((r) => r.worker)).size).toBeGreaterThan(5);
  });

  it('writes the same reports from the same seed and others from another', () => {
    const a = reportWriter({ seed: 1, grids, categories });
    const b = reportWriter({ seed: 1, grids, categories });
    const c = reportWriter({ seed: 2, grids, categories });
    const first = [0, 1, 2, 3].map((n) => a(n).body);
    expect([0, 1, 2, 3].map((n) => b(n).body)).toEqual(first);
    expect([0, 1, 2, 3].map((n) => c(n).body)).not.toEqual(first);
  });
});
