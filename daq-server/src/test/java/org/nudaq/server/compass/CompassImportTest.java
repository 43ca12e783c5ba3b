package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.RejectReason;

/**
 * CoMPASS list files written here from the format description (little-endian, field by field) and
 * imported through the pipeline with GEMMA-I's channel map (CoMPASS board 0 ch 0 = our HPGe, ch 1 =
 * our NaI; 4 ns ticks; HPGe 0.005 keV/ADC, NaI 0.2 keV/ADC; veto above 40 keV in [−1 µs, +2 µs]).
 *
 * <p>The scenario: 10 HPGe events of 10 keV (ADC 2000), 1 ms apart, the first three with an NaI hit of
 * 200 keV (ADC 1000) 500 ns later (inside the window: vetoed); one more HPGe event flagged pile-up
 * (0x8000: rejected); one fake NaI record (0x8: skipped); one record of an unmapped channel.
 */
class CompassImportTest {
  private static final long MS_PS = 1_000_000_000L;
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  /** One record: board, channel, time stamp (ps), energy (ADC), flags. */
  record Rec(int board, int channel, long ps, int energy, int flags) {}

  static List<Rec> hpge() {
    List<Rec> r = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      r.add(new Rec(0, 0, k * MS_PS, 2000, 0x4000));
    }
    r.add(new Rec(0, 0, 11 * MS_PS, 2000, 0x8000));
    return r;
  }

  static List<Rec> nai() {
    List<Rec> r = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      r.add(new Rec(0, 1, k * MS_PS + 500_000, 1000, 0));
    }
    r.add(new Rec(0, 1, 5 * MS_PS, 1000, 0x8)); // fake: would veto event 5 if it counted
    return r;
  }

  static List<Rec> unmapped() {
    return List.of(new Rec(0, 5, 7 * MS_PS + 100_000, 1000, 0));
  }

  /** The 2022 layout: u16 header 0xCAE0|flags, then per record the fields the flags select. */
  static byte[] binary2022(int headerFlags, List<Rec> recs, int waveformSamples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(le(2).putShort((short) (0xCAE0 | headerFlags)).array());
    for (Rec r : recs) {
      out.writeBytes(le(2).putShort((short) r.board()).array());
      out.writeBytes(le(2).putShort((short) r.channel()).array());
      out.writeBytes(le(8).putLong(r.ps()).array());
      if ((headerFlags & 0x1) != 0) {
        out.writeBytes(le(2).putShort((short) r.energy()).array());
      }
      if ((headerFlags & 0x2) != 0) {
        out.writeBytes(le(8).putDouble(r.energy() * 0.005).array());
      }
      if ((headerFlags & 0x4) != 0) {
        out.writeBytes(le(2).putShort((short) (r.energy() / 2)).array());
      }
      out.writeBytes(le(4).putInt(r.flags()).array());
      if ((headerFlags & 0x8) != 0) {
        out.write(1); // waveform code
        out.writeBytes(le(4).putInt(waveformSamples).array());
        for (int i = 0; i < waveformSamples; i++) {
          out.writeBytes(le(2).putShort((short) (8000 + i)).array());
        }
      }
    }
    return out.toByteArray();
  }

  /** The older headerless layout: board, channel, timestamp, energy, energy short, flags, n_samples, samples. */
  static byte[] headerless(List<Rec> recs, int waveformSamples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Rec r : recs) {
      out.writeBytes(le(2).putShort((short) r.board()).array());
      out.writeBytes(le(2).putShort((short) r.channel()).array());
      out.writeBytes(le(8).putLong(r.ps()).array());
      out.writeBytes(le(2).putShort((short) r.energy()).array());
      out.writeBytes(le(2).putShort((short) (r.energy() / 2)).array());
      out.writeBytes(le(4).putInt(r.flags()).array());
      out.writeBytes(le(4).putInt(waveformSamples).array());
      for (int i = 0; i < waveformSamples; i++) {
        out.writeBytes(le(2).putShort((short) i).array());
      }
    }
    return out.toByteArray();
  }

  static String csv(List<Rec> recs, boolean waveform) {
    StringBuilder sb = new StringBuilder(waveform ? "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS;PROBE_CODE;SAMPLES\n"
        : "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n");
    for (Rec r : recs) {
      sb.append(r.board()).append(';').append(r.channel()).append(';').append(r.ps()).append(';').append(r.energy())
          .append(';').append(r.energy() / 2).append(';').append("0x").append(Integer.toHexString(r.flags()));
      if (waveform) {
        sb.append(";1;100;101;102");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void assertScenario(CompassImport.Result r) {
    PipelineSnapshot s = r.replay().snapshot();
    PipelineSnapshot.ChannelSnapshot hpge = s.channels().get(0);
    PipelineSnapshot.ChannelSnapshot nai = s.channels().get(1);
    assertThat(hpge.received()).isEqualTo(11);
    assertThat(hpge.vetoed()).as("events 1-3 have an NaI hit 500 ns later").isEqualTo(3);
    assertThat(hpge.rejected().get(RejectReason.PILEUP)).isEqualTo(1);
    long gated = hpge.gated().values().stream().mapToLong(Long::longValue).sum();
    assertThat(hpge.accepted() + gated).as("the 7 others").isEqualTo(7);
    assertThat(nai.received()).as("the fake record is skipped").isEqualTo(3);
    assertThat(r.replay().accountingBalances()).isTrue();
    assertThat(r.files().stream().mapToLong(CompassImport.FileResult::fake).sum()).isEqualTo(1);
    assertThat(r.files().stream().mapToLong(CompassImport.FileResult::unmapped).sum()).isEqualTo(1);
    assertThat(r.replay().events()).isEqualTo(14);
  }

  @Test
  void binary2022FilesWithAndWithoutWaveformsAreMergedVetoedAndCounted(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("Data_CH0@V1725_292_run.BIN"), binary2022(0x5, hpge(), 0));
    Files.write(dir.resolve("Data_CH1@V1725_292_run.BIN"), binary2022(0x1 | 0x2 | 0x4 | 0x8, nai(), 16));
    Files.write(dir.resolve("Data_CH5@V1725_292_run.BIN"), binary2022(0x1, unmapped(), 0));
    Files.writeString(dir.resolve("run.info"), "time.start=...\n");
    CompassImport.Result r = new CompassImport(config).run(dir);
    assertScenario(r);
    assertThat(r.formatErrors()).isZero();
    assertThat(r.files()).extracting(CompassImport.FileResult::records).containsExactly(11L, 4L, 1L);
  }

  @Test
  void headerlessAndCsvLayoutsGiveTheSameAccounting(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("Data_CH0.BIN"), headerless(hpge(), 4));
    Files.writeString(dir.resolve("Data_CH1.CSV"), csv(nai(), true));
    Files.writeString(dir.resolve("Data_CH5.csv"), csv(unmapped(), false));
    CompassImport.Result r = new CompassImport(config).run(dir);
    assertScenario(r);
    assertThat(r.formatErrors()).isZero();
  }

  @Test
  void aTruncatedFileIsReadUpToTheErrorWhichNamesTheFileAndTheHexOffset(@TempDir Path dir) throws Exception {
    byte[] good = binary2022(0x5, hpge(), 0);
    // Header 2 bytes + records of 2+2+8+2+2+4 = 20 bytes: cut the 6th record after 7 bytes.
    byte[] cut = Arrays.copyOf(good, 2 + 5 * 20 + 7);
    Files.write(dir.resolve("Data_CH0.BIN"), cut);
    Files.write(dir.resolve("Data_CH1.BIN"), binary2022(0x5, nai(), 0));
    Files.writeString(dir.resolve("Data_CH9.CSV"), "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n0;9;12x;5;3;0x0\n");
    CompassImport.Result r = new CompassImport(config).run(dir);
    assertThat(r.formatErrors()).isEqualTo(2);
    CompassImport.FileResult bin = r.files().get(0);
    assertThat(bin.records()).isEqualTo(5);
    // 2 + 5·20 = 102 = 0x66
    assertThat(bin.error()).contains("Data_CH0.BIN").contains("at byte 0x66:").contains("truncated");
    CompassImport.FileResult csv = r.files().get(2);
    // the header line is 5+7+7+6+11+5 = 41 letters + 5 semicolons = 46 bytes + newline: the bad line starts at 47 = 0x2f
    assertThat(csv.error()).contains("Data_CH9.CSV").contains("at byte 0x2f:").contains("12x");
    assertThat(r.replay().snapshot().channels().get(0).received()).isEqualTo(5);
    assertThat(r.replay().snapshot().channels().get(0).vetoed()).isEqualTo(3);
  }

  @Test
  void aCsvLineWithABoardChannelOrEnergyBeyondU16IsAFormatErrorNamingTheLine(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("Data_CH0.BIN"), binary2022(0x5, hpge(), 0));
    String header = "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n";
    Files.writeString(dir.resolve("Data_CH1.CSV"), header + "0;1;1000;5;3;0x0\n0;1;2000;70000;3;0x0\n0;1;3000;5;3;0x0\n");
    Files.writeString(dir.resolve("Data_CH2.CSV"), header + "0;65537;1000;5;3;0x0\n");
    Files.writeString(dir.resolve("Data_CH3.CSV"), header + "-1;1;1000;5;3;0x0\n");
    CompassImport.Result r = new CompassImport(config).run(dir);
    assertThat(r.formatErrors()).isEqualTo(3);
    assertThat(r.files().get(1).records()).as("the line before the bad one").isEqualTo(1);
    assertThat(r.files().get(1).error()).contains("Data_CH1.CSV").contains("0;1;2000;70000").contains("must be 0-65535");
    assertThat(r.files().get(2).error()).contains("Data_CH2.CSV").contains("65537").contains("must be 0-65535");
    assertThat(r.files().get(3).error()).contains("Data_CH3.CSV").contains("-1;1;1000").contains("must be 0-65535");
  }

  /**
   * 2^63 − 1 ps is the feed's mark of a file without a next record: a record with that time stamp was never fed
   * nor counted (the run ended before it). It is a format error naming the file and offset, counted, as a time
   * stamp beyond 2^63 ps is, in every layout; the records before it are fed. A negative CSV time stamp too.
   */
  @Test
  void aTimeStampOf2To63Minus1PsIsACountedFormatErrorNotASilentDrop(@TempDir Path dir) throws Exception {
    List<Rec> hpge = new java.util.ArrayList<>(hpge());
    hpge.add(new Rec(0, 0, Long.MAX_VALUE, 100, 0));
    Files.write(dir.resolve("Data_CH0@V1725_292_run.BIN"), binary2022(0x5, hpge, 0));
    Files.write(dir.resolve("Data_CH1@V1725_292_run.BIN"), headerless(List.of(new Rec(0, 1, 1_000, 7, 0),
        new Rec(0, 1, Long.MAX_VALUE, 7, 0)), 0));
    String header = "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n";
    Files.writeString(dir.resolve("Data_CH2.CSV"), header + "0;1;2000;5;3;0x0\n0;1;9223372036854775807;5;3;0x0\n");
    Files.writeString(dir.resolve("Data_CH3.CSV"), header + "0;1;-5;5;3;0x0\n");
    CompassImport.Result r = new CompassImport(config).run(dir);
    assertThat(r.files()).as("%s", r.files()).extracting(CompassImport.FileResult::records).containsExactly(11L, 1L, 1L, 0L);
    assertThat(r.formatErrors()).as("%s", r.files()).isEqualTo(4);
    // The binary file: header 2 bytes + 11 records of 20 bytes = 0xde, the time stamp 4 bytes on: 0xe2.
    assertThat(r.files().get(0).error()).contains("Data_CH0@V1725_292_run.BIN").contains("at byte 0xe2:")
        .contains("timestamp 9223372036854775807 ps is 2^63 - 1 ps");
    assertThat(r.files().get(1).error()).contains("Data_CH1@V1725_292_run.BIN").contains("2^63 - 1 ps");
    assertThat(r.files().get(2).error()).contains("Data_CH2.CSV").contains("2^63 - 1 ps").contains("0;1;9223372036854775807");
    assertThat(r.files().get(3).error()).contains("Data_CH3.CSV").contains("negative time stamp").contains("0;1;-5");
    assertThat(r.replay().snapshot().channels().get(0).received()).isEqualTo(11);
    assertThat(r.replay().snapshot().channels().get(1).received()).isEqualTo(2);
    assertThat(r.replay().accountingBalances()).isTrue();
  }

  @Test
  void aMapToAChannelTheDigitizerDoesNotHaveIsRefusedWithTheKeyPath() {
    NudaqConfig bad = config.withCompass(new org.nudaq.monitor.config.CompassConfig(
        List.of(new org.nudaq.monitor.config.CompassConfig.ChannelMapping(0, 0, 3, 0))));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CompassImport(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compass.channels[0]: board 3 channel 0 is not a configured");
  }

  /**
   * The import hands the pipeline each file's records of a time slab as one batch and lets the
   * pipeline's merge interleave them: the result must equal the pipeline fed record by record in
   * time order, unbatched. 200 000 random HPGe and NaI records (pile-up, muons, vetoes), equal time
   * stamps, a burst longer than a slab takes from one file and a long gap included.
   */
  @Test
  void batchedImportEqualsThePipelineFedRecordByRecordInTimeOrder(@TempDir Path dir) throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    List<Rec> hpge = new ArrayList<>();
    List<Rec> nai = new ArrayList<>();
    long ps = 0;
    for (int i = 0; i < 200_000; i++) {
      // 4 ns ticks, some equal times; a 40 000-record NaI burst 4 ns apart (more than a slab takes
      // from one file) and a 10 s gap with nothing
      boolean burst = i >= 100_000 && i < 140_000;
      ps += i == 150_000 ? 10_000_000_000_000L : r.nextInt(10) == 0 ? 0 : burst ? 4000L : 4000L * (1 + r.nextInt(2500));
      if (!burst && r.nextInt(5) == 0) {
        hpge.add(new Rec(0, 0, ps, r.nextInt(20_000), r.nextInt(100) == 0 ? 0x8000 : 0));
      } else {
        nai.add(new Rec(0, 1, ps, r.nextInt(100) == 0 ? 65_000 : r.nextInt(2_000), 0));
      }
    }
    Files.write(dir.resolve("Data_CH0.BIN"), binary2022(0x5, hpge, 0));
    Files.write(dir.resolve("Data_CH1.BIN"), binary2022(0x5, nai, 0));
    CompassImport.Result imported = new CompassImport(config).run(dir);

    // The same records merged here (ties: the lower file, CH0, first), one onEvent each, no batches.
    org.nudaq.server.pipeline.EventPipeline p = new org.nudaq.server.pipeline.EventPipeline(config);
    p.onHello(0, 4000);
    int h = 0;
    int n = 0;
    while (h < hpge.size() || n < nai.size()) {
      boolean fromHpge = n == nai.size() || (h < hpge.size() && hpge.get(h).ps() <= nai.get(n).ps());
      Rec rec = fromHpge ? hpge.get(h++) : nai.get(n++);
      p.onEvent(0, rec.channel(), rec.ps() / 4000, rec.energy(), (rec.flags() & 0x8000) != 0 ? 0x1 : 0, 0);
    }
    p.finish();
    PipelineSnapshot direct = p.publish(java.time.Instant.ofEpochSecond(0));
    assertThat(imported.replay().events()).isEqualTo(200_000);
    assertThat(direct.totals().vetoed()).isPositive();
    assertThat(direct.totals().rejected().get(RejectReason.PILEUP)).isPositive();
    assertThat(direct.totals().forcedEmits()).isZero();
    assertThat(direct.totals().rejected().get(RejectReason.LATE)).isZero();
    // The import also gives the pipeline status frames (its live-time estimate), which the direct
    // feed has not: everything else — every spectrum's counts and every channel's accounting — is equal.
    PipelineSnapshot batched = imported.replay().snapshot();
    DirectFeedAssert.assertSameAsDirectFeed(batched, direct);
    assertThat(batched.totals().statusFrames()).isPositive();
  }
}
