package org.nudaq.server.compass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What CoMPASS's run files say about a run's times, for the reactor timeline and the live-time
 * estimate of its list files (which carry time stamps since the run start and no live time):
 *
 * <ul>
 *   <li>{@code run.info} (key=value lines): {@code time.start} and {@code time.stop}, as
 *       {@code 2026/03/01 12:00:00.000+0100} or an ISO-8601 instant;</li>
 *   <li>the settings XML ({@code settings.xml}): a timed run's planned length,
 *       {@code <timedRunEnabled>true</timedRunEnabled>} with {@code <timedRunDuration>} in ms.</li>
 * </ul>
 *
 * Both are looked for in the folder of the list files and its parent (CoMPASS writes the list files
 * into {@code <run>/RAW/} and the run files into {@code <run>/}). Immutable.
 *
 * @param start              run start from run.info, or null
 * @param stop               run stop from run.info, or null
 * @param timedRunDurationNs a timed run's planned length from the settings, ns, or 0
 * @param runInfo            the run.info read, or null
 * @param settings           the settings XML read, or null
 * @param problem            what could not be read in them (the field is then left out), or null
 */
public record CompassRunInfo(Instant start, Instant stop, long timedRunDurationNs, Path runInfo, Path settings, String problem) {

  /**
   * The formats of the run files, built when a run file is read (a holder class): a folder without run files
   * (list files alone) builds none (issue 19: a formatter and two patterns are ~1-2 ms of a small replay's start).
   */
  private static final class Formats {
    static final DateTimeFormatter COMPASS_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss[.SSS][.SS][.S]Z");
    static final Pattern TIMED = Pattern.compile("<timedRunEnabled>\\s*true\\s*</timedRunEnabled>");
    static final Pattern DURATION = Pattern.compile("<timedRunDuration>\\s*([0-9.]+)\\s*</timedRunDuration>");

    private Formats() {
    }
  }

  /** The run files of the run whose list files are in {@code dir}; fields are null/0 where none is found. */
  public static CompassRunInfo of(Path dir) {
    Path info = find(dir, "run.info");
    Path settings = find(dir, "settings.xml");
    Instant start = null;
    Instant stop = null;
    String problem = null;
    if (info != null) {
      List<String> lines = lines(info);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        try {
          if (key.equals("time.start")) {
            start = parseTime(info, i + 1, value);
          } else if (key.equals("time.stop")) {
            stop = parseTime(info, i + 1, value);
          }
        } catch (IllegalArgumentException e) {
          problem = e.getMessage() + "; left out";
        }
      }
    }
    long timedNs = 0;
    if (settings != null) {
      String xml = String.join("\n", lines(settings));
      Matcher d = Formats.DURATION.matcher(xml);
      if (Formats.TIMED.matcher(xml).find() && d.find()) {
        try {
          timedNs = Math.round(Double.parseDouble(d.group(1)) * 1e6);
        } catch (NumberFormatException e) {
          problem = "CoMPASS settings " + settings + ": timedRunDuration '" + d.group(1) + "' is not a number; left out";
        }
      }
    }
    return new CompassRunInfo(start, stop, timedNs, info, settings, problem);
  }

  /** stop − start from run.info in ns, or 0 if it lacks either (Long.MAX_VALUE beyond 292 years: the feed refuses it). */
  public long runInfoDurationNs() {
    if (start == null || stop == null) {
      return 0;
    }
    java.time.Duration d = java.time.Duration.between(start, stop);
    try {
      return Math.max(0, d.toNanos());
    } catch (ArithmeticException e) {
      return d.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  static Instant parseTime(Path file, int line, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value, Formats.COMPASS_TIME).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("CoMPASS run file " + file + " line " + line + ": time '" + value
            + "' is neither yyyy/MM/dd HH:mm:ss.SSS+hhmm nor an ISO-8601 instant");
      }
    }
  }

  private static Path find(Path dir, String name) {
    Path here = dir.resolve(name);
    if (Files.isRegularFile(here)) {
      return here;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && Files.isRegularFile(parent.resolve(name))) {
      return parent.resolve(name);
    }
    return null;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CoMPASS run file " + file + ": " + e.getMessage(), e);
    }
  }
}
