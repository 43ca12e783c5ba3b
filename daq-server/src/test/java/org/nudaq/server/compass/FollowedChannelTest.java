package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel file followed while it is written ({@link FollowedChannel} over {@link CompassGrowingBinary}
 * and {@link CompassGrowingCsv}): written in random pieces (records cut anywhere) and split into parts,
 * every record is read once and exactly; a reader resumed at a recorded place reads the rest exactly;
 * a truncated part, a garbled record and a layout that disagrees with the header give one error each
 * naming file and offset, and the records around them are not lost.
 */
class FollowedChannelTest {

  /** A context whose run is complete once {@link #complete} is set; pauses write the next piece. */
  private static final class Writer implements FollowedChannel.Context {
    final List<Runnable> pieces = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    boolean complete;

    @Override public boolean runComplete() {
      return complete;
    }

    @Override public void pause() {
      if (pieces.isEmpty()) {
        complete = true;
      } else {
        pieces.remove(0).run();
      }
    }

    @Override public void formatError(CompassFormatException e) {
      errors.add(e.getMessage());
    }
  }

  private static byte[] record(int board, int channel, long ps, int energy, boolean energyShort) {
    ByteBuffer b = ByteBuffer.allocate(energyShort ? 20 : 18).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) board).putShort((short) channel).putLong(ps).putShort((short) energy);
    if (energyShort) {
      b.putShort((short) (energy / 2));
    }
    b.putInt(energy % 7 == 0 ? 0x8000 : 0);
    return b.array();
  }

  private static void append(Path file, byte[] bytes, int from, int to) {
    try {
      Files.write(file, java.util.Arrays.copyOfRange(bytes, from, to), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Bytes of one part: the header (first part only) and records n0..n1−1. */
  private static byte[] part(boolean header, int n0, int n1) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (header) {
      out.write(0xE5);
      out.write(0xCA);
    }
    for (int i = n0; i < n1; i++) {
      out.writeBytes(record(0, 3, 1000L * i * i + 17, 100 + i, true));
    }
    return out.toByteArray();
  }

  @Test
  void aSplitFileWrittenInRandomPiecesIsReadOnceAndExactlyAndAResumeReadsTheRest(@TempDir Path dir) throws Exception {
    Writer w = new Writer();
    SplittableRandom random = new SplittableRandom(7);
    int[] bounds = {0, 300, 700, 1000};
    for (int p = 0; p < 3; p++) {
      byte[] bytes = part(p == 0, bounds[p], bounds[p + 1]);
      Path file = dir.resolve(p == 0 ? "DataR_CH3@DT5730_100_run_1.BIN" : "DataR_CH3@DT5730_100_run_1_" + p + ".BIN");
      int at = 0;
      while (at < bytes.length) {
        int from = at;
        int to = Math.min(bytes.length, at + 1 + random.nextInt(97)); // cuts records anywhere
        w.pieces.add(() -> append(file, bytes, from, to));
        at = to;
      }
    }
    FollowedChannel c = new FollowedChannel(dir, "DataR_CH3@DT5730_100_run_1.BIN", 0, 0, CompassGrowingBinary.FROM_HEADER, false, w);
    int n = 0;
    int resumePart = -1;
    long resumeOffset = -1;
    while (c.next()) {
      assertThat(c.timestampPs()).isEqualTo(1000L * n * n + 17);
      assertThat(c.energyAdc()).isEqualTo(100 + n);
      assertThat(c.flags()).isEqualTo((100 + n) % 7 == 0 ? 0x8000 : 0);
      assertThat(c.channel()).isEqualTo(3);
      if (n == 500) {
        resumePart = c.part();
        resumeOffset = c.recordOffset();
      }
      n++;
    }
    c.close();
    assertThat(n).isEqualTo(1000);
    assertThat(w.errors).isEmpty();
    assertThat(resumePart).isEqualTo(1);
    assertThat(resumeOffset).isEqualTo(200L * 20);

    // Resumed at record 500's place (part 1, its offset), with the first part's layout: 500..999 exactly.
    FollowedChannel r = new FollowedChannel(dir, "DataR_CH3@DT5730_100_run_1.BIN", resumePart, resumeOffset, 0x5, false, w);
    int m = 500;
    while (r.next()) {
      assertThat(r.timestampPs()).isEqualTo(1000L * m * m + 17);
      m++;
    }
    r.close();
    assertThat(m).isEqualTo(1000);
  }

  @Test
  void truncatedGarbledAndDisagreeingFilesGiveOneErrorWithFileAndOffsetAndNothingElseIsLost(@TempDir Path dir) throws Exception {
    // Part 0: 10 good records, then a record cut after 7 bytes (truncated). Part 1: 5 good records, a
    // record with a time stamp beyond 2^63 (garbled), 3 more. Part 2: 4 good records.
    byte[] p0 = part(true, 0, 11);
    Files.write(dir.resolve("X.BIN"), java.util.Arrays.copyOf(p0, 2 + 10 * 20 + 7));
    byte[] p1 = part(false, 11, 20);
    ByteBuffer.wrap(p1).order(ByteOrder.LITTLE_ENDIAN).putLong(5 * 20 + 4, -5L);
    Files.write(dir.resolve("X_1.BIN"), p1);
    Files.write(dir.resolve("X_2.BIN"), part(false, 20, 24));
    Writer w = new Writer();
    w.complete = true;
    FollowedChannel c = new FollowedChannel(dir, "X.BIN", 0, 0, CompassGrowingBinary.FROM_HEADER, false, w);
    List<Long> ts = new ArrayList<>();
    while (c.next()) {
      ts.add(c.timestampPs());
    }
    assertThat(ts).hasSize(10 + 5 + 4);
    assertThat(ts.get(10)).isEqualTo(1000L * 11 * 11 + 17);
    assertThat(ts.get(15)).isEqualTo(1000L * 20 * 20 + 17);
    assertThat(w.errors).hasSize(2);
    assertThat(w.errors.get(0)).contains("X.BIN").contains("at byte 0xca").contains("file ends inside a record (7 bytes");
    assertThat(w.errors.get(1)).contains("X_1.BIN").contains("at byte 0x68").contains("beyond 2^63");

    // The header says energy only (0xCAE1, 18-byte records), the records carry energy short too (20 bytes).
    Path bad = dir.resolve("Y.BIN");
    byte[] y = part(true, 0, 5);
    y[0] = (byte) 0xE1;
    Files.write(bad, y);
    Writer w2 = new Writer();
    w2.complete = true;
    FollowedChannel d = new FollowedChannel(dir, "Y.BIN", 0, 0, CompassGrowingBinary.FROM_HEADER, false, w2);
    int n = 0;
    while (d.next()) {
      n++;
    }
    assertThat(n).isEqualTo(1);
    assertThat(w2.errors).hasSize(1);
    assertThat(w2.errors.get(0)).contains("Y.BIN").contains("at byte 0x14").contains("do not have the layout header flags 0x1");
  }

  @Test
  void aCsvFileWrittenInPiecesWaitsForEachLinesNewline(@TempDir Path dir) throws Exception {
    StringBuilder sb = new StringBuilder("BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n");
    for (int i = 0; i < 200; i++) {
      sb.append("1;2;").append(5000L * i).append(';').append(300 + i).append(";0;0x").append(Integer.toHexString(i % 3 == 0 ? 0x8000 : 0))
          .append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    Writer w = new Writer();
    SplittableRandom random = new SplittableRandom(3);
    Path file = dir.resolve("Z.CSV");
    for (int at = 0; at < bytes.length; ) {
      int from = at;
      int to = Math.min(bytes.length, at + 1 + random.nextInt(40));
      w.pieces.add(() -> append(file, bytes, from, to));
      at = to;
    }
    FollowedChannel c = new FollowedChannel(dir, "Z.CSV", 0, 0, CompassGrowingBinary.FROM_HEADER, false, w);
    int n = 0;
    while (c.next()) {
      assertThat(c.timestampPs()).isEqualTo(5000L * n);
      assertThat(c.energyAdc()).isEqualTo(300 + n);
      assertThat(c.flags()).isEqualTo(n % 3 == 0 ? 0x8000 : 0);
      n++;
    }
    assertThat(n).isEqualTo(200);
    assertThat(w.errors).isEmpty();
  }
}
