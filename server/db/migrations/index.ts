import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-calendar.js';
import * as m0003 from './0003-cases.js';
import * as m0004 from './0004-media.js';
import * as m0005 from './0005-followers.js';
import * as m0006 from './0006-summons.js';
import * as m0007 from './0007-inbox.js';
import * as m0009 from './0009-indicators.js';
import * as m0010 from './0010-machine-keys.js';
import * as m0011 from './0011-open311.js';
import * as m0012 from './0012-case-feed.js';
import * as m0013 from './0013-indicator-months.js';
import * as m0014 from './0014-webhooks.js';
import * as m0015 from './0015-hotline.js';
import * as m0016 from './0016-archive.js';
import * as m0017 from './0017-visits.js';
import * as m0018 from './0018-sweep-index.js';
import * as m0019 from './0019-archive-sources.js';
import * as m0020 from './0020-report-requests.js';
import * as m0021 from './0021-archive-name-scope.js';
import * as m0022 from './0022-archive-pinyin-scope.js';

/** Every migration, in order. Names are frozen once landed. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-calendar': m0002,
  '0003-cases': m0003,
  '0004-media': m0004,
  '0005-followers': m0005,
  '0006-summons': m0006,
  '0007-inbox': m0007,
  '0009-indicators': m0009,
  '0010-machine-keys': m0010,
  '0011-open311': m0011,
  '0012-case-feed': m0012,
  '0013-indicator-months': m0013,
  '0014-webhooks': m0014,
  '0015-hotline': m0015,
  '0016-archive': m0016,
  '0017-visits': m0017,
  '0018-sweep-index': m0018,
  '0019-archive-sources': m0019,
  '0020-report-requests': m0020,
  '0021-archive-name-scope': m0021,
  '0022-archive-pinyin-scope': m0022,
};
