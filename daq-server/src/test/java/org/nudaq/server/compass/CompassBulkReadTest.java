package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk read of CoMPASS records ({@link CompassSource#nextRecords}, issue 19) gives exactly what
 * {@link CompassSource#next()} gives one record at a time: the same records in the same order, the same
 * current record and count after each batch, the same error at the same offset, in every layout (bulk
 * for records of one length, none for the others), with mapped windows far smaller than the file, and
 * through a channel's chain of split parts. The reads alternate between the two at random, with random
 * time limits and batch sizes.
 */
class CompassBulkReadTest {

  private static List<CompassImportTest.Rec> records(int n) {
    List<CompassImportTest.Rec> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(new CompassImportTest.Rec(i % 3, i % 5, 1000L * i + (i * 7919L) % 997, i % 4096, (i % 7) << 12 | (i % 11 == 0 ? 0x100 : 0)));
    }
    return r;
  }

  private static String line(int board, int channel, long ts, int energy, int flags) {
    return board + "/" + channel + "/" + ts + "/" + energy + "/" + flags;
  }

  /** Record by record, then the error (if any) and the count. */
  private static List<String> oneByOne(CompassSource s) {
    List<String> out = new ArrayList<>();
    while (s.next()) {
      out.add(line(s.board(), s.channel(), s.timestampPs(), s.energyAdc(), s.flags()));
    }
    out.add("error=" + (s.error() == null ? null : s.error().getMessage()));
    out.add("records=" + s.records());
    s.close();
    return out;
  }

  /** next() and nextRecords() mixed at random; checks the current record and the count after each batch. */
  private static List<String> mixed(CompassSource s, long seed, int[] bulkRecords) {
    SplittableRandom random = new SplittableRandom(seed);
    CompassRecordColumns columns = new CompassRecordColumns();
    List<String> out = new ArrayList<>();
    boolean more = s.next();
    while (more) {
      out.add(line(s.board(), s.channel(), s.timestampPs(), s.energyAdc(), s.flags()));
      if (random.nextInt(4) > 0) {
        long beforePs = random.nextInt(5) == 0 ? Long.MAX_VALUE : s.timestampPs() + random.nextLong(200_000);
        int max = random.nextInt(3) == 0 ? CompassRecordColumns.CAPACITY : random.nextInt(1, 40);
        long before = s.records();
        int n = s.nextRecords(beforePs, max, columns);
        assertThat(n).isBetween(0, max);
        assertThat(s.records()).isEqualTo(before + n);
        for (int k = 0; k < n; k++) {
          assertThat(columns.timestampPs[k]).isLessThan(beforePs);
          out.add(line(columns.board(k), columns.channel(k), columns.timestampPs[k], columns.energyAdc(k), columns.flags(k)));
        }
        if (n > 0) { // the last record read is the current one
          assertThat(line(s.board(), s.channel(), s.timestampPs(), s.energyAdc(), s.flags())).isEqualTo(out.get(out.size() - 1));
          out.remove(out.size() - 1); // ...and is listed again at the top of the loop
          bulkRecords[0] += n;
          continue;
        }
      }
      more = s.next();
    }
    out.add("error=" + (s.error() == null ? null : s.error().getMessage()));
    out.add("records=" + s.records());
    s.close();
    return out;
  }

  @Test
  void bulkReadsGiveTheRecordsOfOneByOneReadsInEveryLayoutAndWindow(@TempDir Path dir) throws Exception {
    byte[][] files = {
        CompassImportTest.binary2022(0x5, records(3000), 0), // energy, energy short: 20 bytes
        CompassImportTest.binary2022(0x7, records(3000), 0), // and calibrated energy: 28 bytes
        CompassImportTest.binary2022(0x0, records(3000), 0), // no energy: 16 bytes
        CompassImportTest.binary2022(0xD, records(300), 200), // waveforms: records of varying length, no bulk
        CompassImportTest.headerless(records(3000), 0)}; // headerless: read one by one
    boolean[] bulk = {true, true, true, false, false};
    for (int f = 0; f < files.length; f++) {
      Path file = dir.resolve("f" + f + ".BIN");
      Files.write(file, files[f]);
      List<String> whole = oneByOne(new CompassBinarySource(file));
      assertThat(whole).hasSizeGreaterThan(300);
      for (int window : new int[] {100, 257, 4096, CompassBinarySource.WINDOW_BYTES}) {
        for (long seed = 1; seed <= 3; seed++) {
          int[] bulkRecords = {0};
          assertThat(mixed(new CompassBinarySource(file, window), seed * 31 + window, bulkRecords))
              .as("file %d, window %d, seed %d", f, window, seed).isEqualTo(whole);
          if (bulk[f]) {
            assertThat(bulkRecords[0]).as("records read in bulk, file %d", f).isGreaterThan(whole.size() / 4);
          } else {
            assertThat(bulkRecords[0]).isZero();
          }
        }
      }
    }
  }

  @Test
  void aNegativeTimeStampOrATruncationStopsTheBulkReadAndIsReportedAsOneByOne(@TempDir Path dir) throws Exception {
    List<CompassImportTest.Rec> recs = records(3000);
    recs.set(2100, new CompassImportTest.Rec(0, 0, -5, 1, 0)); // a time stamp beyond 2^63 ps
    byte[] good = CompassImportTest.binary2022(0x5, records(3000), 0);
    byte[][] files = {
        CompassImportTest.binary2022(0x5, recs, 0),
        Arrays.copyOf(good, 2 + 2999 * 20 + 7)}; // the last record cut after 7 bytes
    for (int f = 0; f < files.length; f++) {
      Path file = dir.resolve("bad" + f + ".BIN");
      Files.write(file, files[f]);
      List<String> whole = oneByOne(new CompassBinarySource(file));
      assertThat(whole.get(whole.size() - 2)).as("file %d", f).isNotEqualTo("error=null");
      for (int window : new int[] {100, 4096, CompassBinarySource.WINDOW_BYTES}) {
        assertThat(mixed(new CompassBinarySource(file, window), window + f, new int[1])).as("file %d, window %d", f, window)
            .isEqualTo(whole);
      }
    }
  }

  @Test
  void aChainOfSplitPartsReadsInBulkWithinEachPart(@TempDir Path dir) throws Exception {
    List<CompassImportTest.Rec> recs = records(5000);
    byte[] first = CompassImportTest.binary2022(0x5, recs.subList(0, 2000), 0);
    byte[] second = CompassImportTest.binary2022(0x5, recs.subList(2000, 5000), 0);
    Path a = dir.resolve("Data_CH0@V1725_0_run.BIN");
    Path b = dir.resolve("Data_CH0@V1725_0_run_1.BIN");
    Files.write(a, first);
    Files.write(b, Arrays.copyOfRange(second, 2, second.length)); // a continuation part has no header
    List<String> whole = oneByOne(new CompassFileChain(List.of(a, b)));
    assertThat(whole).hasSize(5000 + 2);
    int[] bulkRecords = {0};
    assertThat(mixed(new CompassFileChain(List.of(a, b)), 7, bulkRecords)).isEqualTo(whole);
    assertThat(bulkRecords[0]).isGreaterThan(1000);
    // Entered in the middle of the second part (a replay cut in time): counts from the records before.
    CompassFileChain at = CompassFileChain.at(List.of(a, b), 0x5, 1, 1500, 3500);
    List<String> rest = mixed(at, 11, new int[1]);
    assertThat(rest.subList(0, rest.size() - 2)).isEqualTo(whole.subList(3500, 5000));
    assertThat(rest.get(rest.size() - 1)).isEqualTo("records=5000");
  }
}
