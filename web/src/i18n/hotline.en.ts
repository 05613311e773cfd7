/** English for the hotline's work orders — complete; the type forces the same keys as zh-CN. */
import type { HotlineMessages } from './hotline.zh-CN';

const hotlineEn: HotlineMessages = {
  nav: {
    title: 'Hotline orders',
  },
  home: {
    desc: 'Import or receive 12345 hotline work orders as cases, and send their status back',
  },
  title: '12345 hotline work orders',
  intro:
    'Import the work orders the hotline centre exports (XLSX, CSV or JSON) through a saved mapping: each order becomes one case by its number; imported again, an unchanged order writes nothing and a changed one is stored as a new version and noted on its case. The hotline platform may also push orders and read their status back with a machine key.',
  tabs: {
    import: 'Import',
    status: 'Status back',
  },
  kind: {
    file: 'File of orders',
    key: 'Order number',
    namePlaceholder: 'e.g. City hotline export',
    isDefault: 'Default for pushed orders (their category, unit and urgency are read through it)',
    oneOf: 'Map the address, or both longitude and latitude',
  },
  status: {
    intro:
      'The status of the hotline orders whose case or order changed in a period (status, handling department, result, times, callback), to send back to the hotline platform, which may call the same endpoint with its machine key.',
    since: 'From',
    until: 'Until',
    untilPlaceholder: 'Now when empty',
    hint: 'Beijing time; at most 92 days.',
    invalid: 'From must come before until, at most 92 days apart',
    csv: 'Download CSV',
    xlsx: 'Download XLSX',
    json: 'Open JSON',
  },
};

export default hotlineEn;
