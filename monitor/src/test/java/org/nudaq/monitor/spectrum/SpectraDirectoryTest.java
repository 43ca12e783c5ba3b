package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spectra folder: one {@code <name>.json} per spectrum, read back equal by {@link SpectrumJson}. */
class SpectraDirectoryTest {
  private static SpectrumSnapshot spectrum(String name, String state, long first) {
    return new SpectrumSnapshot(new SpectrumLabels(name, "hpge1", state, "after-gates"), new Binning(2.8, 0.1, 3), 1.5,
        3600.0, first + 2, 0, 0, new long[] {first, 1, 1}, Instant.parse("2024-03-01T12:00:00Z"));
  }

  @Test
  void writesOneFilePerSpectrumInTheGivenOrderCreatingTheFolder(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("spectra-saved").resolve("20240301T120000.000Z");
    SpectrumSnapshot on = spectrum("on-after-gates", "on", 5);
    SpectrumSnapshot off = spectrum("off-after-gates", "off", 7);
    List<Path> written = SpectraDirectory.write(dir, List.of(on, off));
    assertThat(written).containsExactly(dir.resolve("on-after-gates.json"), dir.resolve("off-after-gates.json"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("off-after-gates.json", "on-after-gates.json");
    }
    SpectrumJson json = new SpectrumJson();
    assertThat(json.read(SpectraDirectory.file(dir, on.labels()))).isEqualTo(on);
    assertThat(json.read(written.get(1))).isEqualTo(off);
  }
}
