package org.nudaq.monitor.physics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A tabulated atomic-response model: the ratio of a calculated dσ/dT (e.g. an ab initio MCRRPA
 * calculation for Ge, Chen et al., PRD 90 (2014) 011301) to the free-electron dσ/dT, as a function of
 * the recoil energy T, so that a collaboration can plug in a published calculation. The expected
 * rate is the free-electron rate times the ratio at each true T, then folded with the detector
 * response like every other model.
 *
 * <p>Format (docs/analysis.md, "Cross-section models"): UTF-8 text; lines starting with {@code #}
 * are comments, and a comment {@code # source: ...} names the calculation (reported with every
 * result); one row per line, two numbers separated by a comma or whitespace: T in keV (strictly
 * increasing, &gt; 0) and the ratio (≥ 0, finite); at least two rows. An optional header row
 * {@code recoilKeV,ratio} is skipped. The ratio is interpolated linearly in T; below the first row it
 * is the first row's, above the last the last row's.
 *
 * <p>Immutable; thread-safe.
 */
public final class AtomicResponseTable implements DoubleUnaryOperator {
  private final String source;
  private final String provenance;
  private final double[] recoilKeV;
  private final double[] ratio;

  private AtomicResponseTable(String source, String provenance, double[] recoilKeV, double[] ratio) {
    this.source = source;
    this.provenance = provenance;
    this.recoilKeV = recoilKeV;
    this.ratio = ratio;
  }

  /**
   * Reads a table.
   *
   * @throws InvalidPhysicsParameterException with one line naming the file and line on a bad table
   */
  public static AtomicResponseTable read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPhysicsParameterException(file + ": cannot read the atomic-response table ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
    return parse(file.toString(), lines);
  }

  /** Parses the lines of a table; {@code name} appears in errors. */
  public static AtomicResponseTable parse(String name, List<String> lines) {
    String provenance = "";
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String c = line.substring(1).strip();
        if (c.toLowerCase(Locale.ROOT).startsWith("source:")) {
          provenance = c.substring("source:".length()).strip();
        }
        continue;
      }
      String[] f = line.split("[,\\s]+");
      if (rows.isEmpty() && f.length == 2 && f[0].equalsIgnoreCase("recoilKeV")) {
        continue;
      }
      String where = name + ":" + (i + 1) + ": ";
      if (f.length != 2) {
        throw new InvalidPhysicsParameterException(where + "expected two numbers (recoilKeV, ratio), got '" + line + "'");
      }
      double t;
      double r;
      try {
        t = Double.parseDouble(f[0]);
        r = Double.parseDouble(f[1]);
      } catch (NumberFormatException e) {
        throw new InvalidPhysicsParameterException(where + "not a number in '" + line + "'");
      }
      if (!(t > 0) || Double.isInfinite(t)) {
        throw new InvalidPhysicsParameterException(where + "recoilKeV must be finite and > 0, got " + f[0]);
      }
      if (!(r >= 0) || Double.isInfinite(r)) {
        throw new InvalidPhysicsParameterException(where + "ratio must be finite and >= 0, got " + f[1]);
      }
      if (!rows.isEmpty() && t <= rows.get(rows.size() - 1)[0]) {
        throw new InvalidPhysicsParameterException(where + "recoilKeV must increase, got " + f[0] + " after "
            + rows.get(rows.size() - 1)[0]);
      }
      rows.add(new double[] {t, r});
    }
    if (rows.size() < 2) {
      throw new InvalidPhysicsParameterException(name + ": an atomic-response table needs at least two rows, got "
          + rows.size());
    }
    double[] t = new double[rows.size()];
    double[] r = new double[rows.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = rows.get(i)[0];
      r[i] = rows.get(i)[1];
    }
    return new AtomicResponseTable(name, provenance, t, r);
  }

  /** The ratio to free electrons at recoil T (keV). */
  @Override
  public double applyAsDouble(double recoilKeV) {
    double[] x = this.recoilKeV;
    if (recoilKeV <= x[0]) {
      return ratio[0];
    }
    if (recoilKeV >= x[x.length - 1]) {
      return ratio[x.length - 1];
    }
    int i = java.util.Arrays.binarySearch(x, recoilKeV);
    if (i >= 0) {
      return ratio[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double f = (recoilKeV - x[lo]) / (x[hi] - x[lo]);
    return ratio[lo] + f * (ratio[hi] - ratio[lo]);
  }

  /** The file (or name) it was read from. */
  public String source() {
    return source;
  }

  /** The {@code # source:} comment, or empty. */
  public String provenance() {
    return provenance;
  }

  public int rows() {
    return recoilKeV.length;
  }
}
