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

  /**
   * Reads in bulk (issue 19: reading) the records after the current one, as many calls of
   * {@link #next()} would, while their time stamps are before {@code beforePs}, at most {@code max}
   * and at most {@link CompassRecordColumns#CAPACITY}: record k as record k of {@code out}; the last
   * one read becomes the current record. It may stop earlier wherever {@link #next()} has more to do
   * (the end of a mapped window or of the file, a record of another layout, a format error) and
   * returns 0 where it reads nothing: the next record is then read by {@link #next()}. This default
   * reads none (a source that has no bulk path).
   *
   * @return the records read into {@code out}
   */
  default int nextRecords(long beforePs, int max, CompassRecordColumns out) {
    return 0;
  }

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
