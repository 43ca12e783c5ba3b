package org.nudaq.server.compass;

import java.nio.file.Path;

/**
 * The current record of a CoMPASS file, as every layout exposes it: the readers only parse into
 * these fields. Single-threaded.
 */
abstract class CompassRecordSource implements CompassSource {
  protected final Path file;
  protected int board;
  protected int channel;
  protected long timestampPs;
  protected int energy;
  protected int flags;
  protected long records;
  protected CompassFormatException error;

  protected CompassRecordSource(Path file) {
    this.file = file;
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public int board() {
    return board;
  }

  @Override
  public int channel() {
    return channel;
  }

  @Override
  public long timestampPs() {
    return timestampPs;
  }

  @Override
  public int energyAdc() {
    return energy;
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public CompassFormatException error() {
    return error;
  }
}
