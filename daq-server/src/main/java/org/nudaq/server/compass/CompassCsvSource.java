package org.nudaq.server.compass;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A CoMPASS CSV list file: a header line naming the columns ({@code BOARD;CHANNEL;TIMETAG;ENERGY;
 * ENERGYSHORT;FLAGS}, or with {@code CALIB_ENERGY}, and waveform columns after FLAGS, which are
 * ignored), then one record per line; TIMETAG in ps, FLAGS in hex. Errors name the file and the
 * byte offset of the line. Single-threaded.
 */
public final class CompassCsvSource extends CompassRecordSource {
  private final BufferedReader in;
  private final int boardCol;
  private final int channelCol;
  private final int timeCol;
  private final int energyCol;
  private final int flagsCol;
  private long offset;

  public CompassCsvSource(Path file) {
    super(file);
    try {
      this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      String header = in.readLine();
      if (header == null) {
        throw new CompassFormatException(file, 0, "empty file: expected the header line BOARD;CHANNEL;TIMETAG;ENERGY;...");
      }
      offset = header.getBytes(StandardCharsets.UTF_8).length + 1L;
      List<String> cols = Arrays.asList(header.trim().split(";"));
      boardCol = column(cols, "BOARD");
      channelCol = column(cols, "CHANNEL");
      timeCol = column(cols, "TIMETAG");
      energyCol = column(cols, "ENERGY");
      flagsCol = column(cols, "FLAGS");
    } catch (IOException e) {
      throw new CompassFormatException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private int column(List<String> cols, String name) {
    int i = cols.indexOf(name);
    if (i < 0) {
      throw new CompassFormatException(file, 0, "header has no " + name + " column: " + cols);
    }
    return i;
  }

  @Override
  public boolean next() {
    if (error != null) {
      return false;
    }
    String line;
    try {
      line = in.readLine();
    } catch (IOException e) {
      error = new CompassFormatException(file, offset, "cannot read: " + e.getMessage());
      return false;
    }
    if (line == null) {
      return false;
    }
    long lineOffset = offset;
    offset += line.getBytes(StandardCharsets.UTF_8).length + 1L;
    if (line.isBlank()) {
      return next();
    }
    String[] f = line.split(";", -1);
    try {
      board = Integer.parseInt(f[boardCol].trim());
      channel = Integer.parseInt(f[channelCol].trim());
      timestampPs = Long.parseLong(f[timeCol].trim());
      energy = Integer.parseInt(f[energyCol].trim());
      String hex = f[flagsCol].trim();
      flags = (int) Long.parseLong(hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex, 16);
    } catch (RuntimeException e) {
      error = new CompassFormatException(file, lineOffset, "bad record line '" + line + "': " + e);
      return false;
    }
    if (((board | channel | energy) & ~0xFFFF) != 0) { // u16 each, as in the binary files (CompassRecordColumns)
      error = new CompassFormatException(file, lineOffset, "bad record line '" + line + "': board, channel and energy must be 0-65535");
      return false;
    }
    String badTime = CompassDescriptor.csvTimestampError(timestampPs, line);
    if (badTime != null) {
      error = new CompassFormatException(file, lineOffset, badTime);
      return false;
    }
    records++;
    return true;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // read-only file: nothing to lose
    }
  }
}
