/** English for the wall display — complete; the type forces the same keys as zh-CN. */
import type { WallMessages } from './wall.zh-CN';

const wallEn: WallMessages = {
  nav: {
    title: 'Wall display',
    newTab: 'opens in a new tab',
  },
  title: 'Grid Management Command Centre',
  clockLabel: 'Beijing time',
  fullscreen: {
    enter: 'Full screen',
    exit: 'Exit full screen',
  },
  live: {
    open: 'Live',
    connecting: 'Connecting',
    down: 'Disconnected',
  },
  figures: {
    title: 'Key figures',
    label: 'Reported, closed, closure rate, on-time closure rate and overdue unhandled, today and this month',
    today: 'Today',
    month: 'This month',
    reported: 'Reported',
    closed: 'Closed',
    closureRate: 'Closure rate',
    onTimeClosureRate: 'On-time closure',
    overdueUnhandled: 'Overdue, unhandled',
    now: 'Now',
  },
  lights: {
    title: 'Open cases',
    total: 'Open',
    red: 'Red',
    yellow: 'Yellow',
    green: 'Green',
    paused: 'Paused',
  },
  map: {
    title: 'Cases on the map',
  },
  ranking: {
    title: 'Score ranking this month',
    label: 'Units below ranked by this month’s weighted score (out of 100)',
    empty: 'No ranking for this month yet',
  },
  feed: {
    title: 'Live feed',
    label: 'The latest steps of cases, newest at the top',
    empty: 'No steps yet',
  },
  failed: 'Some figures could not be updated; retrying shortly',
  updated: 'Updated {time}',
};

export default wallEn;
