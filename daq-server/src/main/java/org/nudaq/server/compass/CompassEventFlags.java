package org.nudaq.server.compass;

import org.nudaq.monitor.wire.EventFlags;

/**
 * CoMPASS record flags to our event flags, for the readers that turn CoMPASS records into wire frames
 * (the same mapping as {@link CompassImport}'s: pile-up, saturation, time-stamp reset and roll-over).
 * Stateless.
 */
final class CompassEventFlags {
  private CompassEventFlags() {}

  /** Our flag bits for CoMPASS flags (fake records are never converted). */
  static int of(int compassFlags) {
    int flags = 0;
    if ((compassFlags & CompassDescriptor.FLAG_PILEUP) != 0) {
      flags |= EventFlags.PILEUP;
    }
    if ((compassFlags & CompassDescriptor.FLAG_SATURATION) != 0) {
      flags |= EventFlags.SATURATION;
    }
    if ((compassFlags & CompassDescriptor.FLAG_TIMESTAMP_RESET) != 0) {
      flags |= EventFlags.TIMESTAMP_RESET;
    }
    if ((compassFlags & CompassDescriptor.FLAG_TIMESTAMP_ROLLOVER) != 0) {
      flags |= EventFlags.TIMESTAMP_ROLLOVER;
    }
    return flags;
  }
}
