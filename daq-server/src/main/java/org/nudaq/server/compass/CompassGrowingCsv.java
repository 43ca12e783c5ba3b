package org.nudaq.server.compass;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One part of a CoMPASS CSV channel file read while CoMPASS may still be appending to it: the header
 * line ({@code BOARD;CHANNEL;TIMETAG;ENERGY;...;FLAGS}, every part has its own), then one record per
 * line; a line counts only once its newline is written. Same checks and offsets as
 * {@link CompassGrowingBinary} (a line that does not parse, or of another (board, channel) than the
 * file's first, ends the part with an error naming file and byte offset). Single-threaded; allocates
 * per line (CSV is text).
 */
final class CompassGrowingCsv extends GrowingCompassFile {
  private final long resumeAt;
  private int[] cols;

  /** @param position where the next record line starts (0: the part's start, its header first) */
  CompassGrowingCsv(Path file, long position) {
    super(file, position, ByteBuffer.allocate(1 << 16));
    this.bufStart = 0; // the header line first, then what is before position is skipped
    this.resumeAt = position;
  }

  @Override
  boolean next() {
    if (error != null) {
      return false;
    }
    while (true) {
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf.get(i) == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0) {
        if (!fill()) {
          return false;
        }
        continue;
      }
      long at = bufStart + pos;
      String line = new String(buf.array(), pos, nl - pos, StandardCharsets.UTF_8).strip();
      pos = nl + 1;
      if (cols == null) {
        header(line, at);
        if (error != null) {
          return false;
        }
        if (resumeAt > bufStart + pos) {
          bufStart = resumeAt; // skip what was read before the restart
          limit = 0;
          pos = 0;
        }
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      if (record(line, at)) {
        return true;
      }
      return false;
    }
  }

  private void header(String line, long at) {
    List<String> names = Arrays.asList(line.split(";"));
    String[] want = {"BOARD", "CHANNEL", "TIMETAG", "ENERGY", "FLAGS"};
    cols = new int[want.length];
    for (int i = 0; i < want.length; i++) {
      cols[i] = names.indexOf(want[i]);
      if (cols[i] < 0) {
        error = new CompassFormatException(file, at, "header line has no " + want[i] + " column: '" + line + "'");
        return;
      }
    }
  }

  private boolean record(String line, long at) {
    String[] f = line.split(";", -1);
    int b;
    int c;
    long ts;
    int e;
    int flags;
    try {
      b = Integer.parseInt(f[cols[0]].trim());
      c = Integer.parseInt(f[cols[1]].trim());
      ts = Long.parseLong(f[cols[2]].trim());
      e = Integer.parseInt(f[cols[3]].trim());
      String hex = f[cols[4]].trim();
      flags = (int) Long.parseLong(hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex, 16);
    } catch (RuntimeException x) {
      error = new CompassFormatException(file, at, "bad record line '" + line + "': " + x);
      return false;
    }
    String badTime = CompassDescriptor.csvTimestampError(ts, line);
    if (badTime != null) {
      error = new CompassFormatException(file, at, badTime);
      return false;
    }
    if (((b | c | e) & ~0xFFFF) != 0) { // u16 each, as in the binary files (CompassRecordColumns)
      error = new CompassFormatException(file, at, "bad record line '" + line + "': board, channel and energy must be 0-65535");
      return false;
    }
    return current(b, c, ts, e, flags, at);
  }

  @Override
  protected String mixedChannelsCause() {
    return "garbled file";
  }

  private boolean fill() {
    if (pos > 0) {
      System.arraycopy(buf.array(), pos, buf.array(), 0, limit - pos);
      bufStart += pos;
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.capacity()) {
      buf = ByteBuffer.wrap(Arrays.copyOf(buf.array(), buf.capacity() * 2));
    }
    try {
      int read = read();
      if (read <= 0) {
        return false;
      }
      limit += read;
      return true;
    } catch (IOException e) {
      error = new CompassFormatException(file, bufStart + limit, "cannot read: " + e.getMessage());
      return false;
    }
  }

  @Override
  CompassFormatException truncated() {
    return new CompassFormatException(file, position(), "file ends inside a line (" + pendingBytes() + " bytes without a newline):"
        + " truncated or garbled");
  }
}
