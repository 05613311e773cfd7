/**
 * The printable figure set of a monthly analysis: five charts, as data the web draws with ECharts
 * (bars and a pie, bilingual labels). Pure: the numbers are the analysis's own.
 */
import type { Figure, MonthlyAnalysis } from '../../common/monthly-analysis.js';
import { NEED_KIND_LABELS, type NeedKind } from '../../common/visits.js';

const label = (zh: string, en: string) => ({ zh, en });

export function monthlyFigures(a: Omit<MonthlyAnalysis, 'figures'>): Figure[] {
  const p = a.population;
  const kindLabel = (kind: string) => NEED_KIND_LABELS[kind as NeedKind] ?? label(kind, kind);
  return [
    {
      id: 'population',
      kind: 'bar',
      title: label('人口变化', 'Population change'),
      unit: 'count',
      categories: [
        label('月初', 'Start'),
        label('新增', 'Added'),
        label('迁出', 'Moved out'),
        label('死亡', 'Deceased'),
        label('月末', 'End'),
      ],
      series: [{ name: label('人数', 'People'), values: [p.start, p.added, p.movedOut, p.deceased, p.end] }],
    },
    {
      id: 'tags',
      kind: 'bar',
      title: label('重点人群标签', 'Tags'),
      unit: 'count',
      categories: a.tags.map((t) => label(t.nameZh, t.nameEn)),
      series: [
        { name: label('月末有效', 'In force'), values: a.tags.map((t) => t.active) },
        { name: label('本月新增', 'Started'), values: a.tags.map((t) => t.started) },
        { name: label('本月到期', 'Ended'), values: a.tags.map((t) => t.ended) },
      ],
    },
    {
      id: 'coverage',
      kind: 'bar',
      title: label('各网格走访覆盖率（近六个月）', 'Visit coverage by grid (six months)'),
      unit: 'percent',
      categories: a.visits.grids.map((g) => label(g.unit.name, g.unit.code)),
      series: [
        { name: label('覆盖率', 'Coverage'), values: a.visits.grids.map((g) => Math.round(g.rate * 1000) / 10) },
      ],
    },
    {
      id: 'cases',
      kind: 'pie',
      title: label('本月上报案件（按大类）', 'Cases reported by major category'),
      unit: 'count',
      categories: a.cases.byCategory.map((c) => label(c.name, c.nameEn)),
      series: [{ name: label('案件数', 'Cases'), values: a.cases.byCategory.map((c) => c.reported) }],
    },
    {
      id: 'needs',
      kind: 'bar',
      title: label('月末未办结诉求（按类别）', 'Needs open at the end, by kind'),
      unit: 'count',
      categories: a.needs.openByKind.map((n) => kindLabel(n.kind)),
      series: [{ name: label('诉求数', 'Needs'), values: a.needs.openByKind.map((n) => n.count) }],
    },
  ];
}
