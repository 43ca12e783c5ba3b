package org.nudaq.sim.server;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Faults the simulator injects, for testing the daemon. Parsed from a comma-separated spec such as
 * {@code disconnect-every=30s,corrupt=1e-4,truncate=1e-4,garbage=1e-4,skip-seq=1e-3,dup-seq=1e-3,stall=5s@60s,burst=10x@120s+10s,rollover=48}.
 *
 * <ul>
 *   <li>{@code disconnect-every=D}: the board closes the connection (no GOODBYE) D after each
 *       connect; D in wall time ({@code 30s}, {@code 500ms}, {@code 2m}) or in frames ({@code 200frames}).
 *   <li>{@code corrupt=P}, per EVENTS/STATUS frame: one byte after the CRC was computed is altered,
 *       so the reader's CRC check fails. {@code truncate=P}: only part of the frame is sent.
 *       {@code garbage=P}: 1–64 random bytes (never starting like a magic) are sent before the frame.
 *       After each of these three the board closes the connection (it is the last thing on it), so
 *       every one of them is seen by a reader that reads to the end.
 *   <li>{@code skip-seq=P}: the frame's sequence number jumps by 2; {@code dup-seq=P}: the frame
 *       repeats the previous sequence number.
 *   <li>{@code stall=D@T}: no frame is written for D (wall), starting T (wall) after the start.
 *   <li>{@code burst=Kx@T+D}: every physics rate ×K for D detector seconds from detector time T.
 *   <li>{@code rollover=B}: the timestamp counter has B bits (1..64) and wraps.
 * </ul>
 *
 * @param disconnectEveryMs     wall time between connect and forced close, ms (0: never)
 * @param disconnectEveryFrames frames per connection before a forced close (0: never)
 * @param corruptProbability    per frame
 * @param truncateProbability   per frame
 * @param garbageProbability    per frame
 * @param skipSeqProbability    per frame
 * @param dupSeqProbability     per frame
 * @param stallAtMs             wall time after start when the stall begins, ms
 * @param stallDurationMs       stall length, ms (0: no stall)
 * @param burstFactor           rate factor during the burst (1: no burst)
 * @param burstAtSeconds        detector time when the burst starts, s
 * @param burstDurationSeconds  detector time the burst lasts, s
 * @param timestampBits         width of the timestamp counter, bits (64: no rollover)
 */
public record FaultSpec(
    long disconnectEveryMs,
    long disconnectEveryFrames,
    double corruptProbability,
    double truncateProbability,
    double garbageProbability,
    double skipSeqProbability,
    double dupSeqProbability,
    long stallAtMs,
    long stallDurationMs,
    double burstFactor,
    double burstAtSeconds,
    double burstDurationSeconds,
    int timestampBits) {

  /** No faults. */
  public static final FaultSpec NONE = new FaultSpec(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 64);

  /** Whether a framing fault (corrupt, truncate, garbage) may be injected. */
  public boolean anyFramingFault() {
    return corruptProbability > 0 || truncateProbability > 0 || garbageProbability > 0;
  }

  /** Whether a burst is configured. */
  public boolean hasBurst() {
    return burstFactor != 1 && burstDurationSeconds > 0;
  }

  /**
   * Parses a spec; an empty or null string means {@link #NONE}.
   *
   * @throws FaultSpecException naming the item and what is wrong
   */
  public static FaultSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    long discMs = 0;
    long discFrames = 0;
    double corrupt = 0;
    double truncate = 0;
    double garbage = 0;
    double skip = 0;
    double dup = 0;
    long stallAt = 0;
    long stallFor = 0;
    double burstK = 1;
    double burstAt = 0;
    double burstFor = 0;
    int bits = 64;
    Set<String> seen = new HashSet<>();
    for (String raw : spec.split(",")) {
      String item = raw.trim();
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new FaultSpecException("fault '" + item + "': expected name=value (known: " + KNOWN + ")");
      }
      String name = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = item.substring(eq + 1).trim();
      if (!seen.add(name)) {
        throw new FaultSpecException("fault '" + item + "': " + name + " given twice");
      }
      switch (name) {
        case "disconnect-every" -> {
          if (value.endsWith("frames")) {
            discFrames = positiveLong(item, value.substring(0, value.length() - "frames".length()));
          } else {
            discMs = durationMs(item, value);
            if (discMs <= 0) {
              throw new FaultSpecException("fault '" + item + "': the interval must be > 0");
            }
          }
        }
        case "corrupt" -> corrupt = probability(item, value);
        case "truncate" -> truncate = probability(item, value);
        case "garbage" -> garbage = probability(item, value);
        case "skip-seq" -> skip = probability(item, value);
        case "dup-seq" -> dup = probability(item, value);
        case "stall" -> {
          int at = value.indexOf('@');
          if (at < 0) {
            throw new FaultSpecException("fault '" + item + "': expected stall=DURATION@START, e.g. stall=5s@60s");
          }
          stallFor = durationMs(item, value.substring(0, at));
          stallAt = durationMs(item, value.substring(at + 1));
        }
        case "burst" -> {
          int x = value.indexOf("x@");
          int plus = value.indexOf('+', Math.max(x, 0));
          if (x < 0 || plus < 0) {
            throw new FaultSpecException("fault '" + item + "': expected burst=FACTORx@START+DURATION, e.g. burst=10x@120s+10s");
          }
          burstK = number(item, value.substring(0, x));
          if (!(burstK > 0) || Double.isInfinite(burstK)) {
            throw new FaultSpecException("fault '" + item + "': factor must be > 0, got " + value.substring(0, x));
          }
          burstAt = durationMs(item, value.substring(x + 2, plus)) / 1000.0;
          burstFor = durationMs(item, value.substring(plus + 1)) / 1000.0;
        }
        case "rollover" -> {
          long b = positiveLong(item, value);
          if (b > 64) {
            throw new FaultSpecException("fault '" + item + "': timestamp bits must be 1..64, got " + b);
          }
          bits = (int) b;
        }
        default -> throw new FaultSpecException("unknown fault '" + name + "' in '" + item + "' (known: " + KNOWN + ")");
      }
    }
    return new FaultSpec(discMs, discFrames, corrupt, truncate, garbage, skip, dup, stallAt, stallFor,
        burstK, burstAt, burstFor, bits);
  }

  private static final String KNOWN =
      "disconnect-every, corrupt, truncate, garbage, skip-seq, dup-seq, stall, burst, rollover";

  private static double number(String item, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new FaultSpecException("fault '" + item + "': '" + text + "' is not a number");
    }
  }

  private static double probability(String item, String text) {
    double p = number(item, text);
    if (!(p >= 0 && p <= 1)) {
      throw new FaultSpecException("fault '" + item + "': probability must be in [0, 1], got " + text);
    }
    return p;
  }

  private static long positiveLong(String item, String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v <= 0) {
        throw new FaultSpecException("fault '" + item + "': must be a positive integer, got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new FaultSpecException("fault '" + item + "': '" + text + "' is not a positive integer");
    }
  }

  /** "5s", "250ms", "2m", "1h" → ms. */
  static long durationMs(String item, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double factor;
    String digits;
    if (t.endsWith("ms")) {
      factor = 1;
      digits = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factor = 1000;
      digits = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factor = 60_000;
      digits = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      factor = 3_600_000;
      digits = t.substring(0, t.length() - 1);
    } else {
      throw new FaultSpecException("fault '" + item + "': duration '" + text + "' needs a unit (ms, s, m, h)");
    }
    double v = number(item, digits);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new FaultSpecException("fault '" + item + "': duration must be >= 0, got " + text);
    }
    return Math.round(v * factor);
  }

  /** A fault spec that does not parse; the message names the item. */
  public static final class FaultSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FaultSpecException(String message) {
      super(message);
    }
  }
}
