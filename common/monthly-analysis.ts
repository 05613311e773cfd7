/**
 * The monthly community analysis (社区月度分析): what a residents' committee's month looked like —
 * population and its changes, tags started and ended, visit coverage at the month's end, cases by
 * category, needs still open. Every figure is defined once here, in words and as a formula, so the
 * server, the printable page and the documentation say the same thing.
 *
 * The month is a Beijing calendar month [first day 00:00, next month's first day 00:00); for the
 * current month the end is "now" and the analysis is marked partial. "At the end" means on the
 * month's last day (or today).
 */

export interface Definition {
  zh: string;
  en: string;
  /** The formula, as the code computes it. */
  formula: string;
}

export const MONTHLY_DEFINITIONS = {
  populationStart: {
    zh: '月初人口',
    en: 'Population at the start',
    formula: 'people filed before the start, active or departed on/after the start',
  },
  populationEnd: {
    zh: '月末人口',
    en: 'Population at the end',
    formula: 'people filed before the end, active or departed on/after the end',
  },
  added: { zh: '新增人口', en: 'Added', formula: 'people filed in the month (born or moved in)' },
  movedOut: { zh: '迁出', en: 'Moved out', formula: "status 'moved_out' changed in the month" },
  deceased: { zh: '死亡', en: 'Deceased', formula: "status 'deceased' changed in the month" },
  households: {
    zh: '月末户数',
    en: 'Households at the end',
    formula: 'households filed before the end and not dissolved by then',
  },
  tagActive: {
    zh: '月末有效标签',
    en: 'Tags in force at the end',
    formula: 'valid_from ≤ last day ≤ valid_to (or open), on people/households living there at the end',
  },
  tagStarted: { zh: '本月新增标签', en: 'Tags started', formula: 'valid_from in the month' },
  tagEnded: { zh: '本月到期标签', en: 'Tags ended', formula: 'valid_to in the month' },
  coverage: {
    zh: '走访覆盖率',
    en: 'Visit coverage',
    formula: 'households visited in the six months to the last day / households at the end',
  },
  visits: { zh: '本月走访', en: 'Visits in the month', formula: 'visits with visited_at in the month' },
  casesReported: { zh: '本月上报案件', en: 'Cases reported', formula: 'cases created in the month, by major category' },
  casesClosed: { zh: '本月结案', en: 'Cases closed', formula: 'cases whose closing time falls in the month' },
  needsNew: { zh: '本月新增诉求', en: 'New needs', formula: 'needs recorded in the month' },
  needsOpen: {
    zh: '月末未办结诉求',
    en: 'Needs open at the end',
    formula: 'recorded before the end; not resolved before the end; if referred, its case not closed before the end',
  },
} as const satisfies Record<string, Definition>;

export type FigureKind = 'bar' | 'pie';

/** One chart of the printable figure set (ECharts draws it on the web). */
export interface Figure {
  id: string;
  kind: FigureKind;
  title: { zh: string; en: string };
  /** 'count' or 'percent' (values 0–100). */
  unit: 'count' | 'percent';
  categories: { zh: string; en: string }[];
  series: { name: { zh: string; en: string }; values: number[] }[];
}

export interface MonthlyAnalysis {
  unit: { id: string; code: string; name: string };
  month: string;
  from: string;
  /** Exclusive end (the next month's first instant, or now for the current month). */
  to: string;
  partial: boolean;
  generatedAt: string;
  population: {
    start: number;
    end: number;
    added: number;
    movedOut: number;
    deceased: number;
    registered: number;
    floating: number;
    households: number;
    householdsAdded: number;
    householdsDissolved: number;
  };
  tags: { code: string; nameZh: string; nameEn: string; active: number; started: number; ended: number }[];
  visits: {
    count: number;
    night: number;
    householdsVisited: number;
    coverage: { households: number; covered: number; overdue: number; neverVisited: number; rate: number };
    grids: { unit: { id: string; code: string; name: string }; households: number; covered: number; rate: number }[];
  };
  cases: {
    reported: number;
    closed: number;
    byCategory: { code: string; name: string; reported: number; closed: number }[];
  };
  needs: {
    new: number;
    referred: number;
    resolved: number;
    open: number;
    openByKind: { kind: string; count: number }[];
  };
  figures: Figure[];
}
