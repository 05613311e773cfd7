/**
 * Libraries loaded on first use, not at server start. sharp (libvips: photos) and exceljs (XLSX
 * import and export) made ~20 MB of the RSS of a built server (197 → 177 MB) that may never see a
 * photo or a workbook — intake does not — while the memory target is counted on that server
 * (docs/benchmarks.md, "Intake and memory"). Import their types with `import type`; get the value
 * by awaiting its loader. Anything sharp or exceljs must be told once per process (sharp.cache,
 * sharp.concurrency…) belongs inside its loader, so that it runs on the first load and only then.
 */

/** A loader that imports once and hands every caller the same module; a failed load is tried again next time. */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const started = load();
      loading = started;
      // A failed load must not stick (the caller sees the error); the next call tries again.
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
    }
    return loading;
  };
}

/** sharp's default export (the `sharp(input, options)` function with its statics). */
export const loadSharp = onFirstUse(async () => (await import('sharp')).default);

/** exceljs (`Workbook`, `stream.xlsx.WorkbookWriter`, `stream.xlsx.WorkbookReader` …). */
export const loadExcelJS = onFirstUse(async () => (await import('exceljs')).default);
