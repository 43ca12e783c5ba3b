package org.nudaq.server.export;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A one-line progress bar on a terminal's stderr: events exported, rate, and — when the input's
 * extent is known (a journal session's wall-clock span) — a bar with the fraction done. Redrawn at
 * most every 250 ms, from the export's batch flushes (never per event). {@link #NONE} draws nothing:
 * what an export uses when stderr is not a terminal (logs, pipes, tests). Single-threaded.
 */
final class ExportProgress {
  static final ExportProgress NONE = new ExportProgress(null, () -> Double.NaN);
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final DoubleSupplier fraction;
  private final long startNanos = System.nanoTime();
  private long lastDrawNanos;
  private boolean drawn;

  /**
   * @param out      where to draw (a terminal), or null for nothing
   * @param fraction the fraction of the input consumed, 0..1, or NaN when unknown
   */
  ExportProgress(PrintStream out, DoubleSupplier fraction) {
    this.out = out;
    this.fraction = fraction;
  }

  void update(long events) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - lastDrawNanos < REDRAW_NANOS) {
      return;
    }
    lastDrawNanos = now;
    drawn = true;
    double seconds = (now - startNanos) * 1e-9;
    double f = fraction.getAsDouble();
    String bar = "";
    if (!Double.isNaN(f)) {
      int full = (int) Math.round(Math.max(0, Math.min(1, f)) * WIDTH);
      bar = String.format(Locale.ROOT, "[%s%s] %3.0f%% ", "#".repeat(full), ".".repeat(WIDTH - full), 100 * Math.min(1, f));
    }
    out.print(String.format(Locale.ROOT, "\rexport %s%,d events, %.3g events/s, %.0f s ", bar, events,
        seconds > 0 ? events / seconds : 0, seconds));
    out.flush();
  }

  /** Ends the line (if anything was drawn). */
  void done() {
    if (out != null && drawn) {
      out.println();
    }
  }
}
