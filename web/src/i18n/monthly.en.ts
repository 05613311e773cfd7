/** English for the monthly community analysis — complete; the type forces the same keys as zh-CN. */
import type { MonthlyMessages } from './monthly.zh-CN';

const monthlyEn: MonthlyMessages = {
  nav: { title: 'Monthly analysis' },
  home: {
    desc: "A residents' committee's month: population change, tags, visit coverage, cases and needs, printable as a report.",
  },
  title: 'Monthly community analysis',
  intro:
    "One residents' committee, one month: population and its changes, tags, visit coverage, cases and needs still open. Totals only, no personal data.",
  heading: '{unit}, {month}: monthly community analysis',
  monthName: '{name}',
  committee: 'Committee',
  committeePlaceholder: 'Type to find a committee',
  month: 'Month',
  print: 'Print',
  partial: 'This month is not over: figures as of {time}',
  partialTag: 'This month (partial)',
  period: 'Period: {from} to {to}',
  generatedAt: 'Generated {time}',
  noCommittee: 'There is no residents’ committee in your scope, so there is no monthly analysis to show.',
  pickCommittee: 'Choose a residents’ committee.',
  empty: '{unit} has no people, visits, cases or needs on file for {month}.',
  noData: 'No data',
  chartLabel: '{title} (chart; the numbers are in the table beside it)',
  value: 'Value',
  sections: {
    summary: 'Summary',
    population: 'Population',
    tags: 'Tags',
    visits: 'Visits',
    cases: 'Cases',
    needs: 'Needs',
    definitions: 'Definitions',
  },
  population: {
    registered: 'of whom registered',
    floating: 'of whom floating',
    householdsAdded: 'Households filed this month',
    householdsDissolved: 'Households dissolved this month',
    balance: 'Start {start} + added {added} − moved out {movedOut} − deceased {deceased} = end {end}',
  },
  tags: { type: 'Tag', none: 'No tag types in use' },
  visits: {
    night: 'of which at night',
    householdsVisited: 'Households visited this month',
    covered: 'Covered',
    households: 'Households',
    overdue: 'Overdue',
    never: 'Never visited',
    grid: 'Unit grid',
    rate: 'Coverage',
    coveredOf: '{covered} / {households} households',
    noGrids: 'No unit grids',
  },
  cases: {
    category: 'Major category',
    code: 'Code',
    reported: 'Reported',
    closed: 'Closed',
    none: 'No cases this month',
  },
  needs: {
    referred: 'Referred to cases this month',
    resolved: 'Resolved this month',
    kind: 'Kind',
    open: 'Open',
    none: 'No needs open at the end of the month',
  },
  definitions: {
    intro:
      'What each number counts, as the server computes it. “The end” is the last day of the month, or today while the month runs.',
    name: 'Figure',
    formula: 'Definition',
  },
};

export default monthlyEn;
