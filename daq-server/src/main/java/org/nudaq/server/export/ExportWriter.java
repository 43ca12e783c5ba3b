package org.nudaq.server.export;

import java.io.IOException;

/**
 * One output format: takes event batches as the pipeline decides them, then the tables at the end.
 * Everything goes into a directory the {@link Exporter} renames into place only after
 * {@link #finish} returned, so a failed export never leaves a result that looks complete.
 * Single-threaded.
 */
interface ExportWriter extends AutoCloseable {

  /** Writes the rows of {@code batch} (which is reused once this returns). */
  void events(EventBatch batch) throws IOException;

  /** Writes the events still buffered, the spectra and the tables. */
  void finish(ExportTables tables) throws IOException;

  /** Releases what it holds (also after a failure). */
  @Override
  void close() throws IOException;
}
