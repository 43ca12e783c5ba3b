package org.nudaq.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.sim.cli.SimMain;
import org.nudaq.sim.server.Pacing;

/**
 * A journal written here with Chronicle directly from the documented format
 * (docs/journal-and-replay.md, "Format") — independent of the daemon's writer — replayed by the
 * simulator over TCP to clients that read it with the monitor's {@link FrameReader}.
 */
class JournalReplayServerTest {
  private static final int TYPE_FRAME = 1;
  private static final int TYPE_LINK = 2;
  private static final int TYPE_IDLE = 3;
  private static final int TYPE_REACTOR = 4;
  private static final int TYPE_SESSION = 5;
  private static final int TYPE_RUN = 6;
  private static final int TYPE_CLOSED = 7;
  private static final long TICK_PS = 4_000; // 4 ns ticks
  private static final long TICKS_PER_SECOND = 250_000_000L;

  private final FrameWriter frames = new FrameWriter();

  /** Builds frames and appends the documented records. */
  private final class JournalFixture implements AutoCloseable {
    final SingleChronicleQueue queue;
    final ExcerptAppender appender;
    long wallMs = 1_780_000_000_000L;

    JournalFixture(Path dir) {
      queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
      appender = queue.createAppender();
    }

    private Bytes<?> begin(DocumentContext dc, int type) {
      Bytes<?> b = dc.wire().bytes();
      b.writeUnsignedByte(type);
      b.writeLong(wallMs++);
      return b;
    }

    void frame(int board, byte[] frame) {
      try (DocumentContext dc = appender.writingDocument()) {
        Bytes<?> b = begin(dc, TYPE_FRAME);
        b.writeInt(board);
        b.writeLong(0);
        b.writeInt(frame.length);
        b.write(frame);
      }
    }

    void link(int board, boolean up) {
      try (DocumentContext dc = appender.writingDocument()) {
        Bytes<?> b = begin(dc, TYPE_LINK);
        b.writeInt(board);
        b.writeUnsignedByte(up ? 1 : 0);
      }
    }

    void session(String yaml) {
      try (DocumentContext dc = appender.writingDocument()) {
        Bytes<?> b = begin(dc, TYPE_SESSION);
        byte[] src = "test.yaml".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] text = yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.writeInt(src.length);
        b.write(src);
        b.writeInt(text.length);
        b.write(text);
      }
    }

    void stateRecords() {
      try (DocumentContext dc = appender.writingDocument()) {
        begin(dc, TYPE_IDLE).writeLong(123_456_789L);
      }
      try (DocumentContext dc = appender.writingDocument()) {
        Bytes<?> b = begin(dc, TYPE_REACTOR);
        b.writeUnsignedByte(1);
        b.writeLong(5_000_000_000L);
      }
      try (DocumentContext dc = appender.writingDocument()) {
        Bytes<?> b = begin(dc, TYPE_RUN);
        b.writeUnsignedByte(1);
        b.writeLong(7);
      }
      try (DocumentContext dc = appender.writingDocument()) {
        begin(dc, 99).writeLong(42); // a record type of a newer writer: skipped
      }
    }

    void closed() {
      try (DocumentContext dc = appender.writingDocument()) {
        begin(dc, TYPE_CLOSED);
      }
    }

    @Override
    public void close() {
      appender.close();
      queue.close();
    }
  }

  private byte[] hello(int board, long seq, long boardTimeTicks) {
    ByteBuffer buf = ByteBuffer.allocate(FrameDescriptor.HELLO_FRAME_LENGTH);
    int n = frames.writeHello(buf, 0, board, seq, new BoardHello(boardTimeTicks, TICK_PS, 1000, 1, 0, 2, 14,
        FrameDescriptor.CAPABILITY_SIMULATOR));
    return Arrays.copyOf(buf.array(), n);
  }

  private byte[] events(int board, long seq, long firstTick, int count) {
    ByteBuffer buf = ByteBuffer.allocate(FrameDescriptor.eventsFrameLength(count));
    frames.beginEvents(buf, 0, board, seq);
    for (int i = 0; i < count; i++) {
      frames.appendEvent(firstTick + 100L * i, i % 2, 1000 + (int) seq + i, 0, 0);
    }
    int n = frames.finishEvents();
    return Arrays.copyOf(buf.array(), n);
  }

  private byte[] status(int board, long seq, long boardTimeTicks) {
    ByteBuffer buf = ByteBuffer.allocate(FrameDescriptor.statusFrameLength(2));
    int n = frames.writeStatus(buf, 0, board, seq, new BoardStatus(boardTimeTicks, boardTimeTicks, 1,
        List.of(new ChannelCounters(0, boardTimeTicks - 10, 10, seq, 0), new ChannelCounters(1, boardTimeTicks, 0, seq, 0))));
    return Arrays.copyOf(buf.array(), n);
  }

  private byte[] goodbye(int board, long seq) {
    ByteBuffer buf = ByteBuffer.allocate(FrameDescriptor.GOODBYE_FRAME_LENGTH);
    int n = frames.writeGoodbye(buf, 0, board, seq, 0);
    return Arrays.copyOf(buf.array(), n);
  }

  /** Reads one connection to EOF; every frame checked (magic, length, CRC) by the monitor's reader. */
  private static List<byte[]> readConnection(InetSocketAddress at) throws IOException {
    List<byte[]> got = new ArrayList<>();
    FrameReader reader = new FrameReader();
    FrameVisitor ignore = new FrameVisitor() {
      @Override public void onHello(int boardId, long sequence, BoardHello hello) {}
      @Override public void onEventsBegin(int boardId, long sequence, int eventCount) {}
      @Override public void onEvent(long t, int channel, int energyAdc, int flags, int lost) {}
      @Override public void onStatus(int boardId, long sequence, long boardTime, long realTime, int reactor, long powerPpm, int n) {}
      @Override public void onChannelStatus(int channel, long live, long dead, long accepted, long lost) {}
      @Override public void onGoodbye(int boardId, long sequence, int reasonCode) {}
    };
    try (Socket s = new Socket()) {
      s.connect(at, 5_000);
      s.setSoTimeout(20_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] buf = new byte[FrameDescriptor.MAX_FRAME_LENGTH];
      while (true) {
        try {
          in.readFully(buf, 0, FrameDescriptor.PREFIX_LENGTH);
        } catch (EOFException eof) {
          return got;
        }
        int length = FrameReader.validatePrefix(ByteBuffer.wrap(buf), 0);
        in.readFully(buf, FrameDescriptor.PREFIX_LENGTH, length - FrameDescriptor.PREFIX_LENGTH);
        reader.decode(ByteBuffer.wrap(buf), 0, length, ignore);
        got.add(Arrays.copyOf(buf, length));
      }
    }
  }

  private static void assertSameFrames(List<byte[]> got, List<byte[]> expected) {
    assertThat(got).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(got.get(i)).as("frame %d", i).isEqualTo(expected.get(i));
    }
  }

  private static long sequence(byte[] frame) {
    return ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(FrameDescriptor.SEQUENCE_OFFSET);
  }

  @Test
  void servesEachBoardsFramesOfTheLastSessionByteIdenticalAndInOrderWithRecordedReconnectionsAndAFinalGoodbye(
      @TempDir Path dir) throws Exception {
    List<byte[]> board0 = new ArrayList<>();
    List<byte[]> board1First = new ArrayList<>();
    List<byte[]> board1Second = new ArrayList<>();
    try (JournalFixture j = new JournalFixture(dir)) {
      // An earlier, closed session: never replayed.
      j.session("old: session\n");
      j.link(0, true);
      j.frame(0, hello(0, 0, 0));
      j.frame(0, events(0, 1, 10, 3));
      j.closed();
      // The last session: board 0 streams and says GOODBYE; board 1's link drops once and comes back.
      j.session("digitizer: {}\n");
      j.link(0, true);
      j.frame(0, hello(0, 0, 0));
      board0.add(hello(0, 0, 0));
      j.link(1, true);
      j.frame(1, hello(1, 5, 0));
      board1First.add(hello(1, 5, 0));
      long seq0 = 1;
      long seq1 = 6;
      for (int k = 0; k < 40; k++) {
        j.frame(0, events(0, seq0, k * 1000L, 1 + k % 7));
        board0.add(events(0, seq0++, k * 1000L, 1 + k % 7));
        j.frame(1, events(1, seq1, k * 1000L, 2));
        (k < 20 ? board1First : board1Second).add(events(1, seq1++, k * 1000L, 2));
        if (k == 19) {
          j.link(1, false);
          j.link(1, true);
          j.frame(1, hello(1, seq1, 0));
          board1Second.add(hello(1, seq1++, 0));
        }
        if (k % 10 == 9) {
          j.frame(0, status(0, seq0, (k + 1) * 1000L));
          board0.add(status(0, seq0++, (k + 1) * 1000L));
          j.stateRecords();
        }
      }
      j.frame(0, goodbye(0, seq0));
      board0.add(goodbye(0, seq0));
      j.link(0, false);
      j.closed();
    }
    ReplayServer server = new ReplayServer(dir, List.of(0, 1),
        List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0)), Pacing.max());
    try {
      server.start();
      assertThat(server.sessionConfigYaml()).isEqualTo("digitizer: {}\n");
      CompletableFuture<List<byte[]>> b0 = CompletableFuture.supplyAsync(() -> read(server.boundAddress(0)));
      List<byte[]> first = readConnection(server.boundAddress(1));
      List<byte[]> second = readConnection(server.boundAddress(1));

      assertThat(server.failure()).isNull();
      assertSameFrames(b0.get(20, TimeUnit.SECONDS), board0);
      assertSameFrames(first, board1First);
      // The recording had no GOODBYE for board 1: one follows its last frame, with the next sequence.
      assertThat(second).hasSize(board1Second.size() + 1);
      assertSameFrames(second.subList(0, board1Second.size()), board1Second);
      byte[] bye = second.get(second.size() - 1);
      assertThat(bye[FrameDescriptor.TYPE_OFFSET]).isEqualTo((byte) FrameDescriptor.TYPE_GOODBYE);
      assertThat(sequence(bye)).isEqualTo(sequence(board1Second.get(board1Second.size() - 1)) + 1);
      server.finished().get(30, TimeUnit.SECONDS);
      assertThat(server.failure()).isNull();
      assertThat(server.links().get(0).helloResends()).isZero();
    } finally {
      server.close();
    }
  }

  private static List<byte[]> read(InetSocketAddress at) {
    try {
      return readConnection(at);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aClientThatReconnectsMidReplayGetsTheRecordedHelloAgainThenTheRestInOrder(@TempDir Path dir) throws Exception {
    List<byte[]> recorded = new ArrayList<>();
    try (JournalFixture j = new JournalFixture(dir)) {
      j.session("x: 1\n");
      recorded.add(hello(0, 0, 0));
      for (int k = 1; k <= 2000; k++) {
        recorded.add(events(0, k, k * 100L, 50));
      }
      recorded.add(goodbye(0, 2001));
      for (byte[] f : recorded) {
        j.frame(0, f);
      }
      j.closed();
    }
    ReplayServer server = new ReplayServer(dir, List.of(0), List.of(new InetSocketAddress("127.0.0.1", 0)), Pacing.max());
    try {
      server.start();
      InetSocketAddress at = server.boundAddress(0);
      // Read 3 frames, then drop the connection (frames already written to it are lost, as with a board).
      try (Socket s = new Socket()) {
        s.connect(at, 5_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] buf = new byte[FrameDescriptor.MAX_FRAME_LENGTH];
        for (int i = 0; i < 3; i++) {
          in.readFully(buf, 0, FrameDescriptor.PREFIX_LENGTH);
          int length = FrameReader.validatePrefix(ByteBuffer.wrap(buf), 0);
          in.readFully(buf, FrameDescriptor.PREFIX_LENGTH, length - FrameDescriptor.PREFIX_LENGTH);
          assertThat(Arrays.copyOf(buf, length)).isEqualTo(recorded.get(i));
        }
      }
      List<byte[]> next = List.of();
      // Empty while the dropped connection still holds the board: the server notices the drop when its
      // next write fails, which on a loaded machine takes a while. Retry until a deadline, not a count.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (next.isEmpty() && System.nanoTime() < deadline) {
        next = readConnection(at);
        if (next.isEmpty()) {
          Thread.sleep(20);
        }
      }
      assertThat(next.get(0)).as("the recorded HELLO again").isEqualTo(recorded.get(0));
      int firstIndex = (int) sequence(next.get(1));
      assertThat(firstIndex).isGreaterThanOrEqualTo(3);
      assertSameFrames(next.subList(1, next.size()), recorded.subList(firstIndex, recorded.size()));
      assertThat(server.links().get(0).helloResends()).isEqualTo(1);
      server.finished().get(30, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }

  @Test
  void pacedReplayHoldsStatusFramesUntilTheirRecordedBoardTimeDividedByTheFactor(@TempDir Path dir) throws Exception {
    // Board time 0 .. 2 s in STATUS frames; at factor 4 the last STATUS is due 2 s / 4 = 0.5 s after
    // the start, so the whole replay cannot take less than 0.5 s of wall time.
    try (JournalFixture j = new JournalFixture(dir)) {
      j.session("x: 1\n");
      j.frame(0, hello(0, 0, 0));
      j.frame(0, status(0, 1, TICKS_PER_SECOND));
      j.frame(0, status(0, 2, 2 * TICKS_PER_SECOND));
      j.frame(0, goodbye(0, 3));
      j.closed();
    }
    ReplayServer server = new ReplayServer(dir, List.of(0), List.of(new InetSocketAddress("127.0.0.1", 0)), new Pacing(4));
    try {
      long t0 = System.nanoTime();
      server.start();
      List<byte[]> got = readConnection(server.boundAddress(0));
      long elapsedNs = System.nanoTime() - t0;
      assertThat(got).hasSize(4);
      assertThat(elapsedNs).as("2 s of board time at factor 4").isGreaterThanOrEqualTo(500_000_000L);
    } finally {
      server.close();
    }
  }

  @Test
  void simCommandReplaysAJournalToTheConfiguredPortAndStops(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    List<byte[]> expected = new ArrayList<>();
    try (JournalFixture j = new JournalFixture(journal)) {
      j.session("x: 1\n");
      j.frame(0, hello(0, 0, 0));
      expected.add(hello(0, 0, 0));
      for (int k = 1; k <= 5; k++) {
        j.frame(0, events(0, k, k * 10L, 3));
        expected.add(events(0, k, k * 10L, 3));
      }
      j.closed();
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    java.io.PipedReader pipe = new java.io.PipedReader();
    java.io.BufferedReader lines = new java.io.BufferedReader(pipe);
    PrintWriter out = new PrintWriter(new java.io.PipedWriter(pipe), true);
    var cmd = SimMain.commandLine();
    cmd.setOut(out);
    // gemma-1.yaml has one board (id 0); --port moves it to a free port.
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute("--config", "../config/gemma-1.yaml",
        "--replay", journal.toString(), "--accel", "max", "--port", Integer.toString(port)));
    StringBuilder printed = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      printed.append(line).append('\n');
      if (line.startsWith("replaying journal")) {
        break; // listening
      }
    }
    assertThat(printed.toString()).contains("board 0 listening on 127.0.0.1:" + port);
    List<byte[]> got = readConnection(new InetSocketAddress("127.0.0.1", port));
    assertThat(lines.readLine()).isEqualTo("replay done: 7 frames sent");
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    assertSameFrames(got.subList(0, expected.size()), expected);
    assertThat(got).hasSize(expected.size() + 1);
    assertThat(got.get(expected.size())[FrameDescriptor.TYPE_OFFSET]).isEqualTo((byte) FrameDescriptor.TYPE_GOODBYE);
  }
}
