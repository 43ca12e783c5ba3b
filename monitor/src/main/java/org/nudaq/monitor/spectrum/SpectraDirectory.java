package org.nudaq.monitor.spectrum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of spectrum files, one {@code <name>.json} per spectrum (docs/spectrum-format.md). It exists so
 * that the three writers of such folders — the daemon at the end of a run ({@code <data>/spectra}), a replay
 * ({@code <out>/spectra}) and the monitoring API's save action ({@code <data>/spectra-saved/<UTC time>})
 * — name and write the files in one way. Each file is replaced atomically ({@link SpectrumJson#write(SpectrumSnapshot, Path)}).
 *
 * <p>Stateless and thread-safe.
 */
public final class SpectraDirectory {
  /** The folder of a run's final spectra, under the data (or replay output) directory. */
  public static final String RUN_SPECTRA = "spectra";

  private SpectraDirectory() {}

  /** The file of a spectrum in a spectra folder: {@code <dir>/<name>.json}. */
  public static Path file(Path dir, SpectrumLabels labels) {
    return dir.resolve(labels.name() + ".json");
  }

  /**
   * Creates {@code dir} if needed and writes each spectrum into it, in the order given, each file forced to disk.
   *
   * @return the files written, in that order
   * @throws IOException if the folder cannot be created
   */
  public static List<Path> write(Path dir, Iterable<SpectrumSnapshot> spectra) throws IOException {
    return write(dir, spectra, SpectrumJson.Durability.SYNCED);
  }

  /**
   * As {@link #write(Path, Iterable)}, each file forced to disk or not ({@link SpectrumJson.Durability}: the
   * daemon's spectra are, a replay's are not).
   */
  public static List<Path> write(Path dir, Iterable<SpectrumSnapshot> spectra, SpectrumJson.Durability durability)
      throws IOException {
    Files.createDirectories(dir);
    SpectrumJson json = new SpectrumJson();
    List<Path> written = new ArrayList<>();
    for (SpectrumSnapshot s : spectra) {
      Path f = file(dir, s.labels());
      json.write(s, f, durability);
      written.add(f);
    }
    return written;
  }
}
