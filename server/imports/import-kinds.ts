/**
 * The kinds of import, by name: the one list the runner looks a run's kind up in. A module that
 * imports through the engine adds its kind here.
 */
import { hotlineImport } from '../hotline/hotline-import.js';
import type { ImportKind } from './import-kind.js';

export const IMPORT_KINDS: Readonly<Record<string, ImportKind>> = {
  [hotlineImport.kind]: hotlineImport,
};
