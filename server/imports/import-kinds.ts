/**
 * The kinds of import, by name: the one list the runner looks a run's kind up in. A module that
 * imports through the engine adds its kind here.
 */
import { householdsImport } from '../archive/imports/household-import.js';
import { peopleImport } from '../archive/imports/person-import.js';
import { venuesImport } from '../archive/imports/venue-import.js';
import { hotlineImport } from '../hotline/hotline-import.js';
import type { ImportKind } from './import-kind.js';

export const IMPORT_KINDS: Readonly<Record<string, ImportKind>> = {
  [hotlineImport.kind]: hotlineImport,
  [peopleImport.kind]: peopleImport,
  [householdsImport.kind]: householdsImport,
  [venuesImport.kind]: venuesImport,
};
