// Package render writes results: columnar tables and multi-part documents as
// an aligned terminal table, CSV, JSON, Markdown or Parquet, and output files
// (Create): a regular file is written atomically (a temporary file created at
// the first write, renamed into place on success, removed on failure, so a
// failed or interrupted run never leaves a half-written file), keeping the
// mode of the file it replaces (new files: 0666 minus the umask) and
// following symbolic links; devices, FIFOs and /dev/stdout are written in
// place; a read-only file is refused unless OutputOptions.Force. On Linux
// a large output is handed to the kernel's write-back while it is written
// (sync_file_range), so the fsync before the rename finds little left.
//
// A command's result is a Result: named tables (typed columns, optional units,
// nulls for values that are not available) plus ordered metadata. WriteResult
// is the one writer per format: the terminal table and Markdown show the
// metadata as a header block and every table under its title; CSV and Parquet
// hold exactly one table (the main one, or the one named), header first and
// no comment lines, Parquet with the metadata as key-value metadata; JSON is
// the complete form {"metadata": {...}, "tables": {name: [rows]}}.
// Per-customer tables of millions of rows can hold a string column as codes
// into a few levels (Codes) and small integers as bytes (Uint8s), and the
// writers format rows on all cores.
// WriteResultDir writes every table as its own file plus metadata.json,
// replacing the folder only when every file is complete.
//
// Conventions every command shares through this package:
//   - Column names and order are part of the contract; a Table keeps them.
//   - CSV and JSON print floats with the fewest digits that round-trip
//     (strconv 'g'/-1 style, never locale-dependent, no thousands separators);
//     the terminal table rounds for reading.
//   - Dates print as 2006-01-02; a missing date (dataset.NoDay) or a null
//     value prints as an empty CSV field, JSON null and a Parquet null.
//   - Booleans are true/false in every format.
//   - A NaN or Inf reaching a writer is a bug upstream: the writer returns an
//     error instead of printing it.
package render
