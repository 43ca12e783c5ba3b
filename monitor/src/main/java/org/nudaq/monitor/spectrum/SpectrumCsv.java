package org.nudaq.monitor.spectrum;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exports a spectrum as CSV (RFC 4180, comma-separated, {@code \n} line ends), one row per bin:
 *
 * <pre>
 * lowEdgeKeV,highEdgeKeV,counts,countsPerKeVKgDay,errorPerKeVKgDay
 * 0,0.1,12,0.0933,0.0269
 * </pre>
 *
 * <p>Edges are printed rounded to 12 significant digits ({@code 0.3}, not the double
 * {@code 0.30000000000000004} that {@link Binning#lowEdgeKeV(int)} returns); the normalised values
 * are printed in full double precision. The error is {@code sqrt(counts)} normalised like the
 * counts. When the live time is zero the two normalised columns are left empty (the spectrum
 * cannot be normalised yet), so a download of a fresh spectrum still works.
 *
 * <p>Stateless and thread-safe; not for the hot path (it allocates strings).
 */
public final class SpectrumCsv {

  /** The header row. */
  public static final String HEADER =
      "lowEdgeKeV,highEdgeKeV,counts,countsPerKeVKgDay,errorPerKeVKgDay";

  private static final MathContext EDGE_DIGITS = new MathContext(12);

  private SpectrumCsv() {}

  /** Writes header and rows to {@code out} (not flushed or closed). */
  public static void write(Spectrum spectrum, Writer out) {
    Binning binning = spectrum.binning();
    boolean normalisable = spectrum.liveTimeSeconds() > 0.0;
    double[] perKeVKgDay = normalisable ? spectrum.countsPerKeVKgDay() : null;
    double[] errors = normalisable ? spectrum.errorsPerKeVKgDay() : null;
    try {
      out.write(HEADER);
      out.write('\n');
      StringBuilder row = new StringBuilder(96);
      for (int i = 0; i < binning.binCount(); i++) {
        row.setLength(0);
        row.append(edge(binning.lowEdgeKeV(i))).append(',')
            .append(edge(binning.highEdgeKeV(i))).append(',')
            .append(spectrum.count(i)).append(',');
        if (normalisable) {
          row.append(perKeVKgDay[i]).append(',').append(errors[i]);
        } else {
          row.append(',');
        }
        row.append('\n');
        out.append(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write CSV of spectrum name=" + spectrum.labels().name() + ": " + e, e);
    }
  }

  /** The whole CSV as a string. */
  public static String toCsv(Spectrum spectrum) {
    StringWriter out = new StringWriter();
    write(spectrum, out);
    return out.toString();
  }

  private static String edge(double keV) {
    return new BigDecimal(keV).round(EDGE_DIGITS).stripTrailingZeros().toPlainString();
  }
}
