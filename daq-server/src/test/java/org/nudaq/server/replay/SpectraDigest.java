package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.nudaq.monitor.spectrum.SpectraDirectory;

/**
 * The one digest the replay tests compare spectra by: SHA-256 over the spectra files a replay wrote under
 * {@code OUT/spectra} (each file's path relative to OUT, then its bytes, in name order). Equal digests: the same
 * files bit for bit.
 */
public final class SpectraDigest {
  private SpectraDigest() {}

  /** The digest of the spectra under {@code out}; fails when there are none. */
  public static String of(Path out) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Path> files;
    try (Stream<Path> s = Files.walk(out.resolve(SpectraDirectory.RUN_SPECTRA))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).as("spectra files under %s", out).isNotEmpty();
    for (Path f : files) {
      sha.update(out.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
      sha.update(Files.readAllBytes(f));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Writes the replay's run spectra under {@code out} ({@link SpectraDirectory}) and returns their digest. */
  public static String of(ReplayResult r, Path out) throws IOException, NoSuchAlgorithmException {
    SpectraDirectory.write(out.resolve(SpectraDirectory.RUN_SPECTRA), r.snapshot().detectorSpectra());
    return of(out);
  }
}
