package org.nudaq.server.compass;

import java.nio.file.Path;

/** A CoMPASS file that does not follow the format; the message names the file and the byte offset (hex). */
public final class CompassFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CompassFormatException(Path file, long offset, String message) {
    super("CoMPASS file " + file + " at byte 0x" + Long.toHexString(offset) + ": " + message);
  }
}
