package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary reader maps a file in windows (a year of one channel can exceed one 2 GiB mapping):
 * with windows far smaller than the file, and than some records, it reads the same records as with
 * one window, and reports a truncation at its offset in the file.
 */
class CompassBinarySourceTest {

  /** Every record as (board, channel, ts, energy, flags), then the error, if any. */
  private static List<String> read(CompassBinarySource s) {
    List<String> out = new ArrayList<>();
    while (s.next()) {
      out.add(s.board() + "/" + s.channel() + "/" + s.timestampPs() + "/" + s.energyAdc() + "/" + s.flags());
    }
    out.add("error=" + (s.error() == null ? null : s.error().getMessage()));
    s.close();
    return out;
  }

  private static List<CompassImportTest.Rec> records(int n) {
    List<CompassImportTest.Rec> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(new CompassImportTest.Rec(i % 3, i % 5, 1000L * i, i % 4096, (i % 7) << 12));
    }
    return r;
  }

  @Test
  void smallWindowsReadTheSameRecordsInEveryLayout(@TempDir Path dir) throws Exception {
    byte[][] files = {
        CompassImportTest.binary2022(0x5, records(3000), 0), // fixed length, 20 bytes
        CompassImportTest.binary2022(0x7, records(3000), 0), // with calibrated energy, 28 bytes
        CompassImportTest.binary2022(0xD, records(300), 200), // waveforms: 425-byte records, longer than the window
        CompassImportTest.headerless(records(300), 100),
        CompassImportTest.headerless(records(3000), 0)};
    for (int f = 0; f < files.length; f++) {
      Path file = dir.resolve("f" + f + ".BIN");
      Files.write(file, files[f]);
      List<String> whole = read(new CompassBinarySource(file));
      assertThat(whole).hasSizeGreaterThan(300);
      assertThat(whole.get(whole.size() - 1)).isEqualTo("error=null");
      for (int window : new int[] {100, 257, 4096}) {
        assertThat(read(new CompassBinarySource(file, window))).as("file %d, window %d", f, window).isEqualTo(whole);
      }
    }
  }

  @Test
  void aTruncationAfterManyWindowsIsReportedAtItsOffsetInTheFile(@TempDir Path dir) throws Exception {
    byte[] good = CompassImportTest.binary2022(0x5, records(3000), 0);
    byte[] cut = Arrays.copyOf(good, 2 + 2999 * 20 + 7); // the last record cut after 7 bytes
    Path file = dir.resolve("cut.BIN");
    Files.write(file, cut);
    List<String> r = read(new CompassBinarySource(file, 100));
    assertThat(r).hasSize(2999 + 1);
    assertThat(r.get(2999)).contains("at byte 0x" + Long.toHexString(2 + 2999 * 20) + ":").contains("truncated");
  }
}
