package org.nudaq.server.compass;

import java.nio.file.Path;

/**
 * One CoMPASS file read record by record, oldest first. After {@link #next()} returns true the
 * current record is in {@link #board()}, {@link #channel()}, ... Single-threaded.
 */
public interface CompassSource extends AutoCloseable {
  Path file();

  /**
   * Advances to the next record; false at the end of the file or after a format error (then
   * {@link #error()} says what and where; nothing after it is read).
   */
  boolean next();

  int board();

  int channel();

  long timestampPs();

  int energyAdc();

  int flags();

  long records();

  /** The format error that ended the file, or null. */
  CompassFormatException error();

  @Override
  void close();
}
