package org.nudaq.server.stress;

import static org.nudaq.monitor.wire.FrameDescriptor.MAGIC;
import static org.nudaq.monitor.wire.FrameDescriptor.MAX_FRAME_LENGTH;
import static org.nudaq.monitor.wire.FrameDescriptor.TYPE_EVENTS;
import static org.nudaq.monitor.wire.FrameDescriptor.VERSION;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * Builds digitizer byte streams for the decoder's property tests: valid frames written by the real
 * {@link FrameWriter}, and the kinds of damage a link can suffer between them (garbage, truncated
 * frames, headers announcing impossible lengths, bit flips). Remembers which valid frames went in
 * intact, so a test can compare them with what the link delivered.
 */
final class StreamBuilder {
  private final Random random;
  private final int boardId;
  private final FrameWriter writer = new FrameWriter();
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
  private final List<byte[]> intact = new ArrayList<>();
  private long sequence;
  private int hitFrames;

  StreamBuilder(long seed, int boardId) {
    this.random = new Random(seed);
    this.boardId = boardId;
  }

  Random random() {
    return random;
  }

  /** The frames that went in undamaged, in order. */
  List<byte[]> intactFrames() {
    return intact;
  }

  /** Valid frames that a bit flip damaged (each is a frame the board sent that cannot arrive). */
  int hitFrames() {
    return hitFrames;
  }

  byte[] bytes() {
    return stream.toByteArray();
  }

  StreamBuilder hello() {
    byte[] f = new byte[FrameDescriptor.HELLO_FRAME_LENGTH];
    writer.writeHello(ByteBuffer.wrap(f), 0, boardId, sequence++,
        new BoardHello(random.nextLong() & Long.MAX_VALUE, 8000, 1000, 1, 2, 4, 14, 0));
    return valid(f);
  }

  StreamBuilder goodbye() {
    byte[] f = new byte[FrameDescriptor.GOODBYE_FRAME_LENGTH];
    writer.writeGoodbye(ByteBuffer.wrap(f), 0, boardId, sequence++, 0);
    return valid(f);
  }

  /** A random EVENTS or STATUS frame of this board with the next sequence number. */
  byte[] nextDataFrame() {
    return dataFrame(sequence++);
  }

  private byte[] dataFrame(long seq) {
    if (random.nextInt(4) == 0) {
      List<ChannelCounters> channels = new ArrayList<>();
      for (int c = 0; c < 1 + random.nextInt(4); c++) {
        channels.add(new ChannelCounters(c, random.nextLong() >>> 1, random.nextLong() >>> 1, random.nextInt(), random.nextInt(1000)));
      }
      BoardStatus status = new BoardStatus(random.nextLong() >>> 1, random.nextLong() >>> 1, random.nextInt(2), channels);
      byte[] f = new byte[FrameDescriptor.statusFrameLength(channels.size())];
      writer.writeStatus(ByteBuffer.wrap(f), 0, boardId, seq, status);
      return f;
    }
    int n = random.nextInt(40);
    byte[] f = new byte[FrameDescriptor.eventsFrameLength(n)];
    writer.beginEvents(ByteBuffer.wrap(f), 0, boardId, seq);
    long t = random.nextLong() >>> 8;
    for (int i = 0; i < n; i++) {
      t += random.nextInt(100_000);
      writer.appendEvent(t, random.nextInt(4), random.nextInt(1 << 14), random.nextInt(4), random.nextInt(3));
    }
    writer.finishEvents();
    return f;
  }

  StreamBuilder valid(byte[] frame) {
    intact.add(frame);
    stream.writeBytes(frame);
    return this;
  }

  /** The next data frame with 1–3 bits flipped anywhere in it (header, payload or CRC). */
  StreamBuilder bitFlipped() {
    byte[] f = nextDataFrame();
    // Distinct bits: two flips of the same bit would give the frame back intact.
    int flips = 1 + random.nextInt(3);
    java.util.BitSet hit = new java.util.BitSet();
    while (hit.cardinality() < flips) {
      hit.set(random.nextInt(f.length * 8));
    }
    for (int bit = hit.nextSetBit(0); bit >= 0; bit = hit.nextSetBit(bit + 1)) {
      f[bit >>> 3] ^= (byte) (1 << (bit & 7));
    }
    hitFrames++;
    stream.writeBytes(f);
    return this;
  }

  /**
   * 1–200 random bytes; sometimes with a magic word and a plausible header inside, announcing a
   * length that may reach into the frames after it.
   */
  StreamBuilder garbage() {
    byte[] g = new byte[1 + random.nextInt(200)];
    random.nextBytes(g);
    if (random.nextBoolean() && g.length >= 12) {
      int at = random.nextInt(g.length - 11);
      ByteBuffer b = ByteBuffer.wrap(g).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      b.putInt(at, MAGIC);
      b.put(at + 4, (byte) VERSION);
      b.put(at + 5, (byte) (1 + random.nextInt(4)));
      b.putInt(at + 8, 28 + random.nextInt(4000));
    }
    stream.writeBytes(g);
    return this;
  }

  /** The first 1..length−1 bytes of a frame the board also sends (a link cut mid-frame). */
  StreamBuilder truncated() {
    byte[] f = dataFrame(sequence);
    stream.write(f, 0, 1 + random.nextInt(f.length - 1));
    return this;
  }

  /** A header whose length is above the 1 MiB maximum (up to 4 GiB), then a few bytes of payload. */
  StreamBuilder oversizeLength() {
    ByteBuffer b = ByteBuffer.allocate(24 + random.nextInt(100)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, MAGIC);
    b.put(4, (byte) VERSION);
    b.put(5, (byte) TYPE_EVENTS);
    long length = MAX_FRAME_LENGTH + 1 + (random.nextLong() >>> 1) % (0xFFFF_FFFFL - MAX_FRAME_LENGTH);
    b.putInt(8, (int) length);
    b.putShort(12, (short) boardId);
    stream.writeBytes(b.array());
    return this;
  }
}
