package org.nudaq.server.x27xx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden words written by hand from SOLARIS_DAQ's format_RAW.md (each field placed at the bit positions
 * the document draws), decoded to the field values the document defines; then the same data as a
 * stream in random fragments, truncated, and with garbage.
 */
class X27xxRawDecoderTest {

  /**
   * A start-run event, one aggregate with every kind of event, a stop-run event. Field by field:
   * <pre>
   * start run   0x3000000300000004  [63:60]=3 format, [59:56]=0 start, [31:0]=4 words (the document's example word)
   *             0x0000000000000000  acquisition width etc.
   *             0x00000000000000FF  channel mask [31:0] = channels 0-7
   *             0x0000000000000001  channel mask [63:32] = channel 32
   * aggregate   0x2800ABCD0000000E  [63:60]=2, [59]=1 flush, [56]=0 board ok, [55:32]=0xABCD counter, [31:0]=14 words
   * hit w0      0x0500123456789ABC  [63]=0, [62:56]=5 channel, [55]=0, [47:0]=0x123456789ABC time stamp
   * hit w1      0x810104048E001F40  [63]=1 last, [62]=0 no waveform, [61:50]=0x040 self trigger,
   *                                 [49:42]=0x41 pile-up + fine ts valid, [41:26]=0x0123 energy short,
   *                                 [25:16]=0x200 fine ts (512 × 7.8125 ps = 4 ns), [15:0]=0x1F40 energy 8000
   * stats w0    0x0380000000ABCDEF  [62:56]=3 channel, [55]=1 statistics, [47:0]=0xABCDEF real time
   * stats w1    0x0000000000000000  meaningless
   * stats ex0   0x0000000000001234  [47:0]=0x1234 dead time
   * stats ex1   0x80000003E80003DE  [47:24]=1000 triggers, [23:0]=990 saved
   * single      0x8905DEADBEEF0FA0  [63]=1 single word, [62:56]=9 channel, [55:48]=0x05 pile-up + saturation,
   *                                 [47:16]=0xDEADBEEF time stamp, [15:0]=0x0FA0 energy 4000
   * wave w0     0x0700000000000010  channel 7, time stamp 16
   * wave w1     0x4101000001550064  [63]=0 extra words follow, [62]=1 waveform, [61:50]=0x040, [49:42]=0x40,
   *                                 [25:16]=0x155 fine ts, [15:0]=100 energy
   * wave extra  0x8002010000000000  [63]=1 last header word, [49:48]=2 (×4 downsampling), [47:32]=0x0100 threshold
   * wave header 0x0000000000000002  [31:0]=2 sample words
   * samples     0x0001000200030004, 0x0005000600070008
   * stop run    0x3200000000000003  [59:56]=2 stop, 3 words
   *             0x0000000000ABCDF0  run-end time stamp
   *             0x0000000000002000  total dead time
   * </pre>
   */
  static final long[] GOLDEN = {
      0x3000000300000004L, 0x0000000000000000L, 0x00000000000000FFL, 0x0000000000000001L,
      0x2800ABCD0000000EL,
      0x0500123456789ABCL, 0x810104048E001F40L,
      0x0380000000ABCDEFL, 0x0000000000000000L, 0x0000000000001234L, 0x80000003E80003DEL,
      0x8905DEADBEEF0FA0L,
      0x0700000000000010L, 0x4101000001550064L, 0x8002010000000000L, 0x0000000000000002L, 0x0001000200030004L,
      0x0005000600070008L,
      0x3200000000000003L, 0x0000000000ABCDF0L, 0x0000000000002000L};

  static ByteBuffer bigEndian(long[] words) {
    ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.BIG_ENDIAN);
    for (long w : words) {
      b.putLong(w);
    }
    return b.flip();
  }

  @Test
  void goldenWordsFromTheDocumentDecodeToTheDocumentedValues() {
    Recorded r = new Recorded();
    X27xxRawDecoder d = new X27xxRawDecoder("golden");
    int used = d.decode(bigEndian(GOLDEN), 0, GOLDEN.length * 8, 0, true, r);
    assertThat(used).isEqualTo(GOLDEN.length * 8);
    assertThat(r.errors).isEmpty();
    assertThat(r.items).containsExactly("start mask=0x1000000ff",
        "aggregate counter=43981 flush=true fail=false words=14", "stop ts=11259376 dead=8192");
    assertThat(r.hits).hasSize(3);
    // channel, time stamp, fine, energy, energy short, low flags, high flags, single word, waveform
    assertThat(r.hits.get(0)).containsExactly(5, 0x123456789ABCL, 512, 8000, 0x123, 0x040, 0x41, 0, 0);
    assertThat(r.hits.get(1)).containsExactly(9, 0xDEADBEEFL, 0, 4000, 0, 0, 0x05, 1, 0);
    assertThat(r.hits.get(2)).containsExactly(7, 16, 0x155, 100, 0, 0x040, 0x40, 0, 1);
    assertThat(r.stats).hasSize(1);
    assertThat(r.stats.get(0)).containsExactly(3, 0xABCDEFL, 0x1234, 1000, 990);
    // 0x123456789ABC × 8 ns + 512 × 7.8125 ps, in ps
    assertThat(X27xxDescriptor.picoseconds(0x123456789ABCL, 512)).isEqualTo(0x123456789ABCL * 8000 + 4000);
    // Dead time 0x1234 × 8 ns = 37.28 µs of a real time 0xABCDEF × 8 ns = 90.06 ms.
    assertThat(r.channelStatistics.deadTimeSeconds(3)).isEqualTo(0x1234 * 8e-9);
    assertThat(r.channelStatistics.liveTimeSeconds(3)).isEqualTo((0xABCDEF - 0x1234) * 8e-9);
    assertThat(r.channelStatistics.triggers(3)).isEqualTo(1000);
    assertThat(d.skippedBytes()).isZero();
  }

  @Test
  void aStreamInRandomFragmentsDecodesTheSame() {
    ByteBuffer all = bigEndian(GOLDEN);
    byte[] bytes = new byte[all.remaining()];
    all.get(bytes);
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      Recorded r = new Recorded();
      X27xxRawDecoder d = new X27xxRawDecoder("stream");
      ByteBuffer acc = ByteBuffer.allocate(bytes.length).order(ByteOrder.BIG_ENDIAN);
      int at = 0;
      long consumed = 0;
      while (at < bytes.length) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(40));
        acc.put(bytes, at, n);
        at += n;
        acc.flip();
        int used = d.decode(acc, 0, acc.limit(), consumed, false, r);
        consumed += used;
        acc.position(used);
        acc.compact();
      }
      assertThat(r.errors).isEmpty();
      assertThat(consumed).isEqualTo(bytes.length);
      assertThat(r.hits).hasSize(3);
      assertThat(r.stats).hasSize(1);
      assertThat(r.items).hasSize(3);
    }
  }

  @Test
  void garbageWordsAreReportedOnceWithTheirOffsetAndTheRestIsDecoded() {
    long[] words = new long[GOLDEN.length + 3];
    System.arraycopy(GOLDEN, 0, words, 0, 4);
    words[4] = 0x1111111111111111L; // format 0x1: nothing the document defines
    words[5] = 0x0;
    words[6] = 0xFFFFFFFFFFFFFFFFL;
    System.arraycopy(GOLDEN, 4, words, 7, GOLDEN.length - 4);
    Recorded r = new Recorded();
    X27xxRawDecoder d = new X27xxRawDecoder("garbled.raw");
    d.decode(bigEndian(words), 0, words.length * 8, 100, true, r);
    assertThat(r.errors).containsExactly("x27xx raw data garbled.raw at byte 0x84: 3 word(s) that start neither an aggregate (0x2)"
        + " nor a special event (0x3): skipped");
    assertThat(d.skippedBytes()).isEqualTo(24);
    assertThat(r.hits).hasSize(3);
    assertThat(r.stats).hasSize(1);
  }

  @Test
  void aTruncatedAggregateIsReportedWithItsOffsetAndCounted() {
    long[] cut = java.util.Arrays.copyOf(GOLDEN, 10); // the aggregate says 14 words; 6 follow
    Recorded r = new Recorded();
    X27xxRawDecoder d = new X27xxRawDecoder("cut.raw");
    int used = d.decode(bigEndian(cut), 0, cut.length * 8, 0, true, r);
    assertThat(used).isEqualTo(80);
    assertThat(r.errors).containsExactly("x27xx raw data cut.raw at byte 0x20: aggregate of 14 words is cut short: only 6 words follow"
        + " (truncated data)");
    assertThat(d.skippedBytes()).isEqualTo(48);
    assertThat(r.items).containsExactly("start mask=0x1000000ff");
  }

  @Test
  void anEventRunningPastItsAggregateIsReportedAndTheNextAggregateDecoded() {
    // An aggregate of 3 words whose hit has extra words (word 1 bit 63 clear) that never end.
    long[] words = {0x2000000100000003L, 0x0100000000000001L, 0x0000000000000064L,
        0x2000000200000003L, 0x0100000000000002L, 0x8000000000000065L};
    Recorded r = new Recorded();
    X27xxRawDecoder d = new X27xxRawDecoder("bad");
    d.decode(bigEndian(words), 0, words.length * 8, 0, true, r);
    assertThat(r.errors).containsExactly("x27xx raw data bad at byte 0x8: hit whose extra words run past the aggregate end: the"
        + " aggregate ends first; its last 2 words skipped");
    assertThat(r.hits).hasSize(1);
    assertThat(r.hits.get(0)).containsExactly(1, 2, 0, 0x65, 0, 0, 0, 0, 0);
  }

  @Test
  void statisticsCountersThatWrapAt2To24AreUnrolled() {
    X27xxChannelStatistics s = new X27xxChannelStatistics();
    s.update(0, 100, 10, (1 << 24) - 5, 7);
    s.update(0, 200, 20, 3, 9); // 8 more triggers across the wrap
    assertThat(s.triggers(0)).isEqualTo((1 << 24) - 5 + 8);
    assertThat(s.savedEvents(0)).isEqualTo(9);
    assertThat(s.deadTimeSeconds(0)).isEqualTo(20 * 8e-9);
  }
}
