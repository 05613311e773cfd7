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
  /** The same formula in Chinese, for the printed report. */
  formulaZh: string;
}

export const MONTHLY_DEFINITIONS = {
  populationStart: {
    zh: '月初人口',
    en: 'Population at the start',
    formula: 'people filed before the start, active or departed on/after the start',
    formulaZh: '月初前已建档、月初时在册或月初及以后才迁出/死亡的人员',
  },
  populationEnd: {
    zh: '月末人口',
    en: 'Population at the end',
    formula: 'people filed before the end, active or departed on/after the end',
    formulaZh: '月末前已建档、月末时在册或月末及以后才迁出/死亡的人员',
  },
  added: {
    zh: '新增人口',
    en: 'Added',
    formula: 'people filed in the month (born or moved in)',
    formulaZh: '本月建档的人员（出生或迁入）',
  },
  movedOut: {
    zh: '迁出',
    en: 'Moved out',
    formula: "status 'moved_out' changed in the month",
    formulaZh: '本月状态变为“迁出”的人员',
  },
  deceased: {
    zh: '死亡',
    en: 'Deceased',
    formula: "status 'deceased' changed in the month",
    formulaZh: '本月状态变为“死亡”的人员',
  },
  households: {
    zh: '月末户数',
    en: 'Households at the end',
    formula: 'households filed before the end and not dissolved by then',
    formulaZh: '月末前已建档且月末时未注销的户',
  },
  tagActive: {
    zh: '月末有效标签',
    en: 'Tags in force at the end',
    formula: 'valid_from ≤ last day ≤ valid_to (or open), on people/households living there at the end',
    formulaZh: '有效期起 ≤ 月末 ≤ 有效期止（或无止期），且人员或户月末仍在本社区',
  },
  tagStarted: {
    zh: '本月新增标签',
    en: 'Tags started',
    formula: 'valid_from in the month',
    formulaZh: '有效期起在本月的标签',
  },
  tagEnded: {
    zh: '本月到期标签',
    en: 'Tags ended',
    formula: 'valid_to in the month',
    formulaZh: '有效期止在本月的标签',
  },
  coverage: {
    zh: '走访覆盖率',
    en: 'Visit coverage',
    formula: 'households visited in the six months to the last day / households at the end',
    formulaZh: '截至月末六个月内走访过的户 ÷ 月末户数',
  },
  visits: {
    zh: '本月走访',
    en: 'Visits in the month',
    formula: 'visits with visited_at in the month',
    formulaZh: '走访时间在本月的走访记录',
  },
  casesReported: {
    zh: '本月上报案件',
    en: 'Cases reported',
    formula: 'cases created in the month, by major category',
    formulaZh: '本月上报的案件，按大类',
  },
  casesClosed: {
    zh: '本月结案',
    en: 'Cases closed',
    formula: 'cases whose closing time falls in the month',
    formulaZh: '结案时间在本月的案件',
  },
  needsNew: {
    zh: '本月新增诉求',
    en: 'New needs',
    formula: 'needs recorded in the month',
    formulaZh: '本月记录的诉求',
  },
  needsOpen: {
    zh: '月末未办结诉求',
    en: 'Needs open at the end',
    formula: 'recorded before the end; not resolved before the end; if referred, its case not closed before the end',
    formulaZh: '月末前记录、月末前未解决；已转案件的，其案件月末前未结案',
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
    /** By major category (大类): its Chinese name, and its English name from the catalogue. */
    byCategory: { code: string; name: string; nameEn: string; reported: number; closed: number }[];
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
