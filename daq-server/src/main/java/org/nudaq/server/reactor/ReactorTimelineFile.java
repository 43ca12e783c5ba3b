package org.nudaq.server.reactor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nudaq.server.pipeline.ReactorState;

/**
 * Reads the plant's log of reactor state and thermal power, a CSV file of timestamped transitions
 * (format in README "Reactor timeline"):
 *
 * <pre>
 * # comments and blank lines are skipped
 * time,state,power
 * 2026-03-01T00:00:00Z,ON,100%
 * 2026-03-12T06:00:00Z,ON,2790MW
 * 2026-03-12T08:00:00Z,OFF,
 * </pre>
 *
 * {@code time} is an ISO-8601 instant with its offset; {@code state} ON, OFF or UNKNOWN (any case);
 * {@code power} a percentage ({@code 97.5%}), megawatts ({@code 2790MW}, divided by
 * {@code reactor.thermalPowerMW}), a plain fraction of nominal ({@code 0.93}), or empty (ON: nominal,
 * OFF and UNKNOWN: 0). Times must increase strictly from line to line.
 *
 * <p>The file can be read whole ({@link #readAll}) or followed as it grows ({@link #readNew}: only
 * complete lines, ending in a newline, are read; the rest waits for the next call). In strict mode
 * the first bad line throws a {@link ReactorTimelineException} naming the file and line; otherwise
 * bad lines are counted, reported through {@link #lastError()} and skipped, and reading goes on.
 *
 * <p>Not thread-safe: one reader per file, used by one thread.
 */
public final class ReactorTimelineFile {
  /** The header line (after comments): the column names. */
  public static final String HEADER = "time,state,power";

  private final Path file;
  private final double nominalPowerMW;
  private final boolean strict;
  private long offset;
  private int lineNumber;
  private boolean headerSeen;
  private Instant lastTime;
  private long badLines;
  private String lastError;
  private final List<String> newErrors = new ArrayList<>();

  /**
   * @param file           the CSV file
   * @param nominalPowerMW the reactor's nominal thermal power (reactor.thermalPowerMW), for MW values
   * @param strict         throw on the first bad line (CLI) instead of counting it (daemon)
   */
  public ReactorTimelineFile(Path file, double nominalPowerMW, boolean strict) {
    this.file = file;
    this.nominalPowerMW = nominalPowerMW;
    this.strict = strict;
  }

  /** Every transition of a complete file, strictly checked. */
  public static List<ReactorTransition> readAll(Path file, double nominalPowerMW) {
    ReactorTimelineFile r = new ReactorTimelineFile(file, nominalPowerMW, true);
    List<ReactorTransition> all = new ArrayList<>(r.readNew());
    ReactorTransition last = r.readUnterminatedLastLine();
    if (last != null) {
      all.add(last);
    }
    if (!r.headerSeen) {
      throw new ReactorTimelineException("reactor timeline " + file + ": no header line '" + HEADER + "'");
    }
    return all;
  }

  /** The transitions in complete lines added since the last call (all of them on the first call). */
  public List<ReactorTransition> readNew() {
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      if (length < offset) {
        fail(0, "the file shrank from " + offset + " to " + length + " bytes (replaced?); reading it again from the start");
        offset = 0;
        lineNumber = 0;
        headerSeen = false;
      }
      bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - offset)];
      f.seek(offset);
      f.readFully(bytes);
    } catch (IOException e) {
      throw new ReactorTimelineException("reactor timeline " + file + ": cannot read: " + e.getMessage());
    }
    List<ReactorTransition> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
        lineNumber++;
        offset += i + 1 - start;
        start = i + 1;
        ReactorTransition t = parse(line.strip());
        if (t != null) {
          out.add(t);
        }
      }
    }
    pendingTail = bytes.length - start;
    return out;
  }

  /** Bytes after the last newline at the last {@link #readNew}: a line still being written. */
  private int pendingTail;

  /** For a finished file: its last line if it has no final newline (parsed), else null. */
  private ReactorTransition readUnterminatedLastLine() {
    if (pendingTail == 0) {
      return null;
    }
    byte[] tail = new byte[pendingTail];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      f.readFully(tail);
    } catch (IOException e) {
      throw new ReactorTimelineException("reactor timeline " + file + ": cannot read: " + e.getMessage());
    }
    lineNumber++;
    offset += tail.length;
    pendingTail = 0;
    return parse(new String(tail, StandardCharsets.UTF_8).strip());
  }

  private ReactorTransition parse(String text) {
    // A byte-order mark (spreadsheet exports write one) is not part of the first line.
    String line = lineNumber == 1 && text.startsWith("\uFEFF") ? text.substring(1).strip() : text;
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    if (!headerSeen) {
      if (!line.replace(" ", "").equalsIgnoreCase(HEADER)) {
        return fail(lineNumber, "expected the header '" + HEADER + "', got '" + abbreviate(line) + "'");
      }
      headerSeen = true;
      return null;
    }
    String[] f = line.split(",", -1);
    if (f.length != 3) {
      return fail(lineNumber, "expected 3 comma-separated fields (time,state,power), got " + f.length);
    }
    Instant at;
    try {
      at = Instant.parse(f[0].strip());
    } catch (DateTimeParseException e) {
      return fail(lineNumber, "time '" + abbreviate(f[0].strip()) + "' is not an ISO-8601 instant such as 2026-03-01T12:00:00Z");
    }
    ReactorState state;
    switch (f[1].strip().toUpperCase(Locale.ROOT)) {
      case "ON" -> state = ReactorState.ON;
      case "OFF" -> state = ReactorState.OFF;
      case "UNKNOWN" -> state = ReactorState.UNKNOWN;
      default -> {
        return fail(lineNumber, "unknown state '" + abbreviate(f[1].strip()) + "' (ON, OFF or UNKNOWN)");
      }
    }
    double power;
    String p = f[2].strip();
    try {
      if (p.isEmpty()) {
        power = state == ReactorState.ON ? 1.0 : 0.0;
      } else if (p.endsWith("%")) {
        power = Double.parseDouble(p.substring(0, p.length() - 1).strip()) / 100;
      } else if (p.toUpperCase(Locale.ROOT).endsWith("MW")) {
        power = Double.parseDouble(p.substring(0, p.length() - 2).strip()) / nominalPowerMW;
      } else {
        power = Double.parseDouble(p);
      }
    } catch (NumberFormatException e) {
      return fail(lineNumber, "power '" + abbreviate(p) + "' is not a percentage (97%), megawatts (2790MW) or a fraction (0.97)");
    }
    if (!(power >= 0) || power > 2) {
      return fail(lineNumber, "power '" + p + "' gives " + power + " of nominal, outside 0..2");
    }
    if (lastTime != null && !at.isAfter(lastTime)) {
      return fail(lineNumber, "time " + at + " is not after the previous transition's " + lastTime + " (times must increase)");
    }
    lastTime = at;
    return new ReactorTransition(at, state, power, lineNumber);
  }

  private ReactorTransition fail(int line, String what) {
    String message = "reactor timeline " + file + (line > 0 ? " line " + line : "") + ": " + what;
    badLines++;
    lastError = message;
    if (!strict && newErrors.size() < 100) {
      newErrors.add(message);
    }
    if (strict) {
      throw new ReactorTimelineException(message);
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Bad lines skipped (not strict). */
  public long badLines() {
    return badLines;
  }

  /** The messages of bad lines since the last call (at most 100; the count is {@link #badLines()}). */
  public List<String> drainErrors() {
    List<String> out = List.copyOf(newErrors);
    newErrors.clear();
    return out;
  }

  /** The message of the last bad line, or null. */
  public String lastError() {
    return lastError;
  }

  /** The file. */
  public Path file() {
    return file;
  }
}
