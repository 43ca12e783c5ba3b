package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CoMPASS binary file read while it is being written in random pieces (records cut anywhere, with
 * waveforms): every record is passed on exactly once, in order; a reader closed mid-way and resumed at
 * its {@link CompassFileTail#position()} reads the rest, nothing twice, nothing skipped.
 */
class CompassFileTailTest {
  private static final int FLAGS = CompassDescriptor.HEADER_ENERGY | CompassDescriptor.HEADER_ENERGY_SHORT
      | CompassDescriptor.HEADER_WAVEFORM;

  /** Records (board 0, channel c, ts, energy, flags) with waveforms of 0..40 samples, as bytes and as values. */
  private static byte[] records(List<long[]> out, int n, boolean header, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ByteBuffer b = ByteBuffer.allocate(2 + n * (16 + 4 + 5 + 80)).order(ByteOrder.LITTLE_ENDIAN);
    if (header) {
      b.putShort((short) (0xCAE0 | FLAGS));
    }
    long ts = 0;
    for (int i = 0; i < n; i++) {
      int ch = r.nextInt(4);
      ts += r.nextInt(1_000_000);
      int e = r.nextInt(1 << 16);
      int f = r.nextBoolean() ? 0 : 0x8000;
      int samples = r.nextInt(41);
      b.putShort((short) 0).putShort((short) ch).putLong(ts).putShort((short) e).putShort((short) 7).putInt(f);
      b.put((byte) 1).putInt(samples);
      for (int k = 0; k < samples; k++) {
        b.putShort((short) k);
      }
      out.add(new long[] {0, ch, ts, e, f});
    }
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }

  private static final class Collect implements CompassRecordSink {
    final List<long[]> got = new ArrayList<>();

    @Override
    public void onRecord(int board, int channel, long timestampPs, int energyAdc, int flags) {
      got.add(new long[] {board, channel, timestampPs, energyAdc, flags});
    }
  }

  @Test
  void aFileWrittenInRandomPiecesIsReadOnceAndAResumedReaderContinuesExactly(@TempDir Path dir) throws Exception {
    List<long[]> truth = new ArrayList<>();
    byte[] bytes = records(truth, 5_000, true, 3);
    Path file = dir.resolve("DataR_CH0@V1725_292_run_1.BIN");
    Files.write(file, new byte[0]);
    SplittableRandom r = new SplittableRandom(9);
    Collect c = new Collect();
    CompassFileTail tail = new CompassFileTail(file);
    long resumeAt = -1;
    int at = 0;
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      while (at < bytes.length) {
        int n = Math.min(bytes.length - at, 1 + r.nextInt(700));
        out.write(bytes, at, n);
        out.flush();
        at += n;
        tail.poll(c);
        if (resumeAt < 0 && at > bytes.length / 2) {
          // kill -9 here: what was passed on is journaled with the position; a new reader resumes there
          resumeAt = tail.position();
          int flags = tail.headerFlags();
          tail.close();
          tail = new CompassFileTail(file, flags, resumeAt);
        }
      }
    }
    tail.poll(c);
    tail.close();
    assertThat(tail.error()).isNull();
    assertThat(c.got).hasSize(truth.size());
    for (int i = 0; i < truth.size(); i++) {
      assertThat(c.got.get(i)).isEqualTo(truth.get(i));
    }
    assertThat(tail.position()).isEqualTo(bytes.length);
  }

  @Test
  void aContinuationPartWithoutHeaderIsReadWithTheFirstPartsLayout(@TempDir Path dir) throws Exception {
    List<long[]> truth = new ArrayList<>();
    byte[] bytes = records(truth, 300, false, 5);
    Path file = Files.write(dir.resolve("DataR_CH0@V1725_292_run_2.BIN"), bytes);
    Collect c = new Collect();
    try (CompassFileTail tail = new CompassFileTail(file, FLAGS, 0)) {
      assertThat(tail.poll(c)).isEqualTo(300);
      assertThat(tail.poll(c)).isZero();
    }
    assertThat(c.got.get(299)).isEqualTo(truth.get(299));
  }

  @Test
  void aRecordThatCannotBeOneStopsTheFileWithItsOffset(@TempDir Path dir) throws Exception {
    List<long[]> truth = new ArrayList<>();
    byte[] bytes = records(truth, 10, true, 7);
    bytes[2 + 4 + 7] = (byte) 0x80; // the first record's time stamp: bit 63 set
    Path file = Files.write(dir.resolve("bad.BIN"), bytes);
    try (CompassFileTail tail = new CompassFileTail(file)) {
      assertThat(tail.poll(new Collect())).isZero();
      assertThat(tail.error()).hasMessageContaining("bad.BIN").hasMessageContaining("at byte 0x6:")
          .hasMessageContaining("beyond 2^63 ps");
      assertThat(tail.position()).isEqualTo(2);
    }
  }
}
