/**
 * 简体中文 for the monthly community analysis (社区月度分析, /archive/analysis), under `monthly.`.
 * `monthly.en.ts` must have exactly these keys (its type says so). The names and formulas of the
 * figures come from common/monthly-analysis.ts (MONTHLY_DEFINITIONS), not from here. Keep
 * `{ } @ $ |` out of the text except for `{named}` parameters.
 */
const monthlyZhCN = {
  nav: { title: '社区月度分析' },
  home: { desc: '居委会每月的人口变化、重点人群标签、走访覆盖、案件与诉求，可打印成报告。' },
  title: '社区月度分析',
  intro: '一个居委会一个月的情况：人口及变化、标签、走访覆盖、案件和未办结诉求。只有汇总数字，不含个人信息。',
  heading: '{unit} {month} 社区月度分析',
  monthName: '{year}年{month}月',
  committee: '居委会',
  committeePlaceholder: '输入名称查找居委会',
  month: '月份',
  print: '打印',
  partial: '本月尚未结束，数字截至 {time}',
  partialTag: '本月（未完）',
  period: '统计期间：{from} 至 {to}',
  generatedAt: '生成于 {time}',
  noCommittee: '你的范围内没有居委会，无法查看月度分析。',
  pickCommittee: '请选择一个居委会。',
  empty: '{unit}在{month}没有档案、走访、案件或诉求数据。',
  noData: '无数据',
  chartLabel: '{title}（图表，数字见左侧表格）',
  value: '数值',
  sections: {
    summary: '概况',
    population: '人口',
    tags: '重点人群标签',
    visits: '走访',
    cases: '案件',
    needs: '诉求',
    definitions: '指标口径',
  },
  population: {
    registered: '其中户籍',
    floating: '其中流动',
    householdsAdded: '本月新立户',
    householdsDissolved: '本月注销户',
    balance: '月初 {start} + 新增 {added} − 迁出 {movedOut} − 死亡 {deceased} = 月末 {end}',
  },
  tags: { type: '标签', none: '没有启用的标签类型' },
  visits: {
    night: '其中夜访',
    householdsVisited: '本月走访户数',
    covered: '已覆盖户',
    households: '户数',
    overdue: '超期未走访',
    never: '从未走访',
    grid: '单元网格',
    rate: '覆盖率',
    coveredOf: '{covered} / {households} 户',
    noGrids: '没有单元网格',
  },
  cases: { category: '大类', code: '代码', reported: '上报', closed: '结案', none: '本月没有案件' },
  needs: { referred: '本月转为案件', resolved: '本月办结', kind: '类别', open: '未办结', none: '月末没有未办结的诉求' },
  definitions: {
    intro: '每个数字的统计口径（与服务器计算一致）。“月末”指该月最后一天；本月未结束时指今天。',
    name: '指标',
    formula: '口径',
  },
};

export type MonthlyMessages = typeof monthlyZhCN;
export default monthlyZhCN;
