// Package render writes results: columnar tables and multi-part documents as
// an aligned terminal table, CSV, JSON, Markdown or Parquet, and output files
// (Create): a regular file is written atomically (a temporary file created at
// the first write, renamed into place on success, removed on failure, so a
// failed or interrupted run never leaves a half-written file), keeping the
// mode of the file it replaces (new files: 0666 minus the umask) and
// following symbolic links; devices, FIFOs and /dev/stdout are written in
// place; a read-only file is refused unless OutputOptions.Force.
//
// Conventions every command shares through this package:
//   - Column names and order are part of the contract; a Table keeps them.
//   - CSV and JSON print floats with the fewest digits that round-trip
//     (strconv 'g'/-1 style, never locale-dependent, no thousands separators);
//     the terminal table rounds for reading.
//   - Dates print as 2006-01-02; a missing date (dataset.NoDay) prints as an
//     empty CSV field and JSON null.
//   - A NaN or Inf reaching a writer is a bug upstream: the writer returns an
//     error instead of printing it.
package render
