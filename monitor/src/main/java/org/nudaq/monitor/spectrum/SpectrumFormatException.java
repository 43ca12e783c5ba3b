package org.nudaq.monitor.spectrum;

/**
 * A spectrum file (docs/spectrum-format.md) is not valid. The message reads
 * {@code <source>: <field>: <problem>}, e.g.
 * {@code on.json: counts: expected 1000 entries (binning.binCount), got 999}.
 */
public final class SpectrumFormatException extends RuntimeException {

  private final String source;
  private final String field;

  public SpectrumFormatException(String source, String field, String problem) {
    this(source, field, problem, null);
  }

  public SpectrumFormatException(String source, String field, String problem, Throwable cause) {
    super(source + ": " + field + ": " + problem, cause);
    this.source = source;
    this.field = field;
  }

  /** The file name or other description of where the JSON came from. */
  public String source() {
    return source;
  }

  /** The JSON field path at fault, e.g. {@code binning.binCount} or {@code counts[17]}. */
  public String field() {
    return field;
  }
}
