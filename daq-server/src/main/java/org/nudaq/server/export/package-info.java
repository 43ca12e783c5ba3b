/**
 * {@code nudaq export}: a journal session (or time range) or a CoMPASS folder through the same pipeline
 * as a replay, with every event's fate collected ({@code EventCollector}, the pipeline's
 * {@code EventFateSink}) and written in bounded batches as LH5 (jHDF, {@code Lh5Writer}) or Parquet
 * (DuckDB, {@code ParquetWriter}), with the spectra and the run, reactor, live-time and accounting tables
 * (layouts in docs/export.md). Everything runs on the command's thread; an export is written under a
 * temporary name and renamed only when complete.
 */
package org.nudaq.server.export;
