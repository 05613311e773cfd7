/** English for exports and reports — complete; the type forces the same keys as zh-CN. */
import type { ExportsMessages } from './exports.zh-CN';

const exportsEn: ExportsMessages = {
  nav: {
    assessment: 'Monthly assessment',
  },
  home: {
    assessmentDesc:
      'Each month’s indicators, weighted score and rank of the units below you or of the departments; print it or download it as Excel.',
  },
  caseExport: {
    button: 'Export',
    title: 'Export cases',
    intro:
      'Exports every case in your scope that the list’s current filters select, beyond the list’s pages. Every export is recorded in the audit log.',
    format: 'File format',
    csv: 'CSV (opens in Excel)',
    xlsx: 'Excel workbook (XLSX)',
    masked: 'Reporters’ names and phones are masked, e.g. “张**”, “138****1234”.',
    unmask: 'Export reporters’ full names and phones',
    unmaskHint:
      'Only for cases where you are a dispatcher; the others stay masked. The purpose is recorded in the audit log.',
    purpose: 'Purpose',
    purposePlaceholder: 'e.g. calling reporters back about the outcome',
    purposeTooShort: 'State the purpose (at least {min} characters)',
    start: 'Export',
    cancel: 'Cancel',
    close: 'Close',
    preparing: 'Preparing the export…',
    progressRows: '{rows} of {total} rows received',
    progressBytes: '{total} rows; {size} received',
    done: '{total} cases exported',
    empty: 'No case matches: the file holds the header row only.',
  },
  assessment: {
    title: 'Monthly assessment',
    intro:
      'A month’s indicators, weighted score and rank of the units below a unit, or of the departments working in it. The score uses the weights in the settings; 100 at best.',
    month: 'Month',
    unit: 'Unit',
    group: 'Assess',
    units: 'Units below',
    departments: 'Departments',
    print: 'Print',
    download: 'Download Excel',
    rank: 'Rank',
    unitName: 'Unit',
    departmentName: 'Department',
    code: 'Code',
    score: 'Score',
    total: 'Total',
    weights: 'Weights: {weights}',
    period: 'Period: {from} to {to}',
    asOf: 'Generated: {time}',
    weight: 'weight {weight}',
    empty: 'Nothing to assess this month',
    back: 'Back to the unit above',
    drill: 'Assess the units below {name}',
    deferredLeave: 'Deferred cases leave the denominators',
    heading: '{unit}, monthly assessment {month}',
  },
};

export default exportsEn;
