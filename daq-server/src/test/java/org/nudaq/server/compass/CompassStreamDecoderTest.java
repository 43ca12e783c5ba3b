package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The CoMPASS TCP stream decoder on streams built here record by record (GEMMA-I's channel map: CoMPASS
 * board 0 channels 0 and 1), read from random byte offsets in random fragments: it locks within one
 * window, then every record equals the one written, bursts of garbage are found and re-aligned, and
 * every byte is decoded, skipped or still waiting.
 */
class CompassStreamDecoderTest {
  private static final int WINDOW = 64;

  static NudaqConfig config(boolean energyShort) {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    return c.withCompass(new CompassConfig(c.compass().channels(),
        new CompassStreamConfig("127.0.0.1", 1, true, false, energyShort, WINDOW, 3600)));
  }

  /** A stream and where each record and each garbage burst starts. */
  record Stream(byte[] bytes, List<long[]> records, List<int[]> garbage, int recordLength) {}

  /**
   * n records of channels 0/1 (rising per channel, 0..5 µs apart), energies below 2^16, flags from
   * CoMPASS's set; with {@code garbageEvery} > 0 a burst of 1..2L random bytes after every that many.
   */
  static Stream stream(int n, boolean energyShort, int garbageEvery, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int length = energyShort ? 20 : 18;
    ByteBuffer b = ByteBuffer.allocate(n * (length + 2 * length + 1)).order(ByteOrder.LITTLE_ENDIAN);
    List<long[]> records = new ArrayList<>();
    List<int[]> garbage = new ArrayList<>();
    long[] t = {1_000_000, 1_000_000};
    int[] flagSet = {0, 0, 0, 0x4000, 0x8000, 0x80, 0x20, 0x1};
    for (int i = 0; i < n; i++) {
      int ch = r.nextInt(2);
      t[ch] += r.nextLong(5_000_000);
      int e = r.nextInt(1 << 16);
      int f = flagSet[r.nextInt(flagSet.length)];
      records.add(new long[] {b.position(), 0, ch, t[ch], e, f});
      b.putShort((short) 0).putShort((short) ch).putLong(t[ch]).putShort((short) e);
      if (energyShort) {
        b.putShort((short) (e / 2));
      }
      b.putInt(f);
      if (garbageEvery > 0 && (i + 1) % garbageEvery == 0) {
        int g = 1 + r.nextInt(2 * length);
        garbage.add(new int[] {b.position(), g});
        for (int k = 0; k < g; k++) {
          b.put((byte) r.nextInt(256));
        }
      }
    }
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return new Stream(bytes, records, garbage, length);
  }

  /** What a decoder gave: each record with its offset in the whole stream. */
  static final class Collected implements CompassRecordSink {
    final List<long[]> records = new ArrayList<>();
    CompassStreamDecoder decoder;
    long base;

    @Override
    public void onRecord(int board, int channel, long timestampPs, int energyAdc, int flags) {
      records.add(new long[] {base + decoder.decodedBytes() + decoder.skippedBytes(), board, channel, timestampPs, energyAdc, flags});
    }
  }

  /** Feeds bytes[from..] in random fragments (1..5000 bytes), as TCP delivers them; returns what stayed pending. */
  static int feed(CompassStreamDecoder d, Collected c, byte[] bytes, int from, SplittableRandom r) {
    c.decoder = d;
    c.base = from;
    ByteBuf cumulation = Unpooled.buffer();
    int at = from;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, 1 + r.nextInt(5000));
      cumulation.writeBytes(bytes, at, n);
      at += n;
      d.decode(cumulation, c);
      cumulation.discardReadBytes();
    }
    int pending = cumulation.readableBytes();
    cumulation.release();
    return pending;
  }

  @Test
  void locksWithinOneWindowFromAnyByteOffsetAndDecodesEveryLaterRecordExactly() {
    NudaqConfig cfg = config(false);
    Stream s = stream(20_000, false, 0, 7);
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 40; trial++) {
      int from = r.nextInt(s.bytes().length / 2);
      CompassStreamDecoder d = new CompassStreamDecoder(cfg.compass().stream(), cfg);
      Collected c = new Collected();
      int pending = feed(d, c, s.bytes(), from, r);
      // The first record starting at or after the join point is at most one record away; the decoder
      // may need the first window to lock, but decodes from the first whole record on.
      int first = firstRecordAtOrAfter(s.records(), from);
      assertThat(c.records).as("trial %d from byte %d", trial, from).hasSize(s.records().size() - first);
      for (int i = 0; i < c.records.size(); i++) {
        assertThat(c.records.get(i)).isEqualTo(s.records().get(first + i));
      }
      assertThat(d.skippedBytes()).isEqualTo(s.records().get(first)[0] - from);
      assertThat(d.decodedBytes() + d.skippedBytes() + pending).isEqualTo(s.bytes().length - from);
      assertThat(d.locks()).isEqualTo(1);
      assertThat(d.lockLosses()).isZero();
    }
  }

  @Test
  void garbageBurstsAreFoundAndReAlignedCostingOnlyTheRecordsNearThem() {
    NudaqConfig cfg = config(true);
    Stream s = stream(50_000, true, 2_000, 3);
    int from = 12_345;
    CompassStreamDecoder d = new CompassStreamDecoder(cfg.compass().stream(), cfg);
    Collected c = new Collected();
    int pending = feed(d, c, s.bytes(), from, new SplittableRandom(5));
    java.util.Map<Long, long[]> byOffset = new java.util.HashMap<>();
    for (long[] rec : s.records()) {
      byOffset.put(rec[0], rec);
    }
    // Nothing decoded is wrong: each decoded record is the record written at its offset.
    for (long[] got : c.records) {
      assertThat(byOffset.get(got[0])).as("a record decoded at offset %d", got[0]).isEqualTo(got);
    }
    // Every record is decoded except those a burst touched: at most the record cut by the burst and
    // the next one (the search skips one record length at a time past the burst).
    java.util.Set<Long> decoded = new java.util.HashSet<>();
    for (long[] got : c.records) {
      decoded.add(got[0]);
    }
    int missed = 0;
    for (long[] rec : s.records()) {
      if (rec[0] < from || decoded.contains(rec[0])) {
        continue;
      }
      missed++;
      long nearestBurstBefore = -1;
      for (int[] g : s.garbage()) {
        if (g[0] <= rec[0]) {
          nearestBurstBefore = g[0] + g[1];
        }
      }
      boolean nearJoin = rec[0] - from < 2L * s.recordLength();
      assertThat(nearJoin || rec[0] - nearestBurstBefore < 3L * s.recordLength())
          .as("record at %d missed, far from any burst", rec[0]).isTrue();
    }
    long bursts = s.garbage().stream().filter(g -> g[0] > from).count();
    assertThat(d.lockLosses()).isGreaterThanOrEqualTo(bursts * 9 / 10).isLessThanOrEqualTo(bursts);
    assertThat(missed).isLessThanOrEqualTo(3 * (int) bursts + 1);
    assertThat(d.decodedBytes() + d.skippedBytes() + pending).isEqualTo(s.bytes().length - from);
    assertThat(d.decodedBytes()).isEqualTo((long) c.records.size() * s.recordLength());
  }

  @Test
  void aLayoutThatDisagreesWithTheDeclaredOneNeverLocksAndEveryByteIsCountedSkipped() {
    NudaqConfig declaredWithout = config(false);
    Stream withEnergyShort = stream(10_000, true, 0, 9);
    CompassStreamDecoder d = new CompassStreamDecoder(declaredWithout.compass().stream(), declaredWithout);
    Collected c = new Collected();
    int pending = feed(d, c, withEnergyShort.bytes(), 0, new SplittableRandom(1));
    assertThat(c.records).isEmpty();
    assertThat(d.locks()).isZero();
    assertThat(d.skippedBytes() + pending).isEqualTo(withEnergyShort.bytes().length);
    assertThat(pending).isLessThan((WINDOW + 1) * d.recordLength());
  }

  @Test
  void aRecordOfAChannelOutsideTheMapCostsOnlyItself() {
    NudaqConfig cfg = config(false);
    Stream s = stream(1_000, false, 0, 13);
    byte[] bytes = s.bytes().clone();
    int victim = 500;
    int at = (int) s.records().get(victim)[0];
    bytes[at + 2] = 7; // channel 7 is not in compass.channels
    CompassStreamDecoder d = new CompassStreamDecoder(cfg.compass().stream(), cfg);
    Collected c = new Collected();
    int pending = feed(d, c, bytes, 0, new SplittableRandom(2));
    assertThat(c.records).hasSize(999);
    assertThat(d.lockLosses()).isEqualTo(1);
    assertThat(d.skippedBytes()).isEqualTo(s.recordLength());
    assertThat(d.decodedBytes() + d.skippedBytes() + pending).isEqualTo(bytes.length);
  }

  private static int firstRecordAtOrAfter(List<long[]> records, long offset) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i)[0] >= offset) {
        return i;
      }
    }
    return records.size();
  }
}
