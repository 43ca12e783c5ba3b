package org.nudaq.server.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * Writes the input of the parallel-replay benchmark (a documented command, not part of the suite;
 * docs/benchmarks.md "Parallel replay"): a journal of {@code SESSIONS} sessions of the benchmarks'
 * GEMMA-I-like stream ({@link BenchStream}: HELLO, 1000-event frames, a STATUS frame every 50), each
 * with the configuration text of config/gemma-1.yaml and its own seed, {@code EVENTS} events in all.
 * A session's events are generated in chunks of 2e7 (~20 bytes of heap per event of a chunk), each
 * continuing the board's time, counters and frame sequence numbers (a session of 2e7 events or fewer is
 * exactly {@link BenchStream}'s stream).
 *
 * <p>usage: {@code SessionsJournalWriter JOURNAL_DIR EVENTS SESSIONS}
 */
public final class SessionsJournalWriter {
  private SessionsJournalWriter() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SessionsJournalWriter JOURNAL_DIR EVENTS SESSIONS");
    }
    Path journal = Path.of(args[0]);
    long events = (long) Double.parseDouble(args[1]);
    int sessions = Integer.parseInt(args[2]);
    if (Files.exists(journal)) {
      throw new IllegalArgumentException(journal + " exists");
    }
    NudaqConfig config = BenchStream.gemma1();
    String yaml = Files.readString(Path.of(config.source()));
    int framesPerSession = (int) (events / sessions / BenchStream.EVENTS_PER_FRAME);
    for (int s = 0; s < sessions; s++) {
      try (JournalWriter w = new JournalWriter(journal, config.journal(), Clock.systemUTC())) {
        w.session(config.source(), yaml);
        byte[] hello = BenchStream.hello();
        w.frame(BenchStream.BOARD, hello, hello.length, 0);
        // In chunks of at most CHUNK_FRAMES frames (a 1e8-event session does not fit in the heap at once),
        // each continuing the board's time, counters and sequence numbers.
        long offsetTicks = 0;
        long[] accepted = new long[2];
        long[] sequence = {1};
        for (int done = 0, c = 0; done < framesPerSession; c++) {
          int n = Math.min(CHUNK_FRAMES, framesPerSession - done);
          BenchStream.Events e = BenchStream.Events.generate(n * BenchStream.EVENTS_PER_FRAME, 1000 + s + 7919L * c);
          if (c == 0 && n == framesPerSession) {
            for (byte[] f : BenchStream.frames(e, n)) { // one chunk: exactly the stream of session-level benchmarks
              w.frame(BenchStream.BOARD, f, f.length, 0);
            }
          } else {
            for (byte[] f : frames(e, n, offsetTicks, accepted, sequence)) {
              w.frame(BenchStream.BOARD, f, f.length, 0);
            }
          }
          offsetTicks += e.spanTicks;
          done += n;
        }
        w.finished();
      }
      System.out.printf("session %d: %d events%n", s + 1, (long) framesPerSession * BenchStream.EVENTS_PER_FRAME);
    }
  }

  private static final int CHUNK_FRAMES = 20_000;

  /** {@link BenchStream#frames} of a chunk that continues the board's time by {@code offsetTicks}, its counters and sequence. */
  private static byte[][] frames(BenchStream.Events e, int frameCount, long offsetTicks, long[] accepted, long[] sequence) {
    int statusFrames = (frameCount + BenchStream.STATUS_EVERY_FRAMES - 1) / BenchStream.STATUS_EVERY_FRAMES + 1;
    byte[][] out = new byte[frameCount + statusFrames][];
    int n = frameCount * BenchStream.EVENTS_PER_FRAME;
    long[] oldestUnsent = new long[n + 1];
    oldestUnsent[n] = offsetTicks + e.spanTicks;
    for (int i = n - 1; i >= 0; i--) {
      oldestUnsent[i] = Math.min(offsetTicks + e.ticks[i], oldestUnsent[i + 1]);
    }
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(new byte[org.nudaq.monitor.wire.FrameDescriptor.EVENTS_FIXED_LENGTH
        + BenchStream.EVENTS_PER_FRAME * org.nudaq.monitor.wire.FrameDescriptor.EVENT_RECORD_LENGTH]);
    org.nudaq.monitor.wire.FrameWriter writer = new org.nudaq.monitor.wire.FrameWriter();
    int k = 0;
    for (int f = 0; f < frameCount; f++) {
      writer.beginEvents(buf, 0, BenchStream.BOARD, sequence[0]++);
      for (int i = f * BenchStream.EVENTS_PER_FRAME; i < (f + 1) * BenchStream.EVENTS_PER_FRAME; i++) {
        writer.appendEvent(offsetTicks + e.ticks[i], e.channel[i], e.adc[i], e.flags[i], 0);
        accepted[e.channel[i]]++;
      }
      out[k++] = copy(buf, writer.finishEvents());
      if ((f + 1) % BenchStream.STATUS_EVERY_FRAMES == 0 || f == frameCount - 1) {
        long boardTicks = oldestUnsent[(f + 1) * BenchStream.EVENTS_PER_FRAME];
        org.nudaq.monitor.wire.BoardStatus status = new org.nudaq.monitor.wire.BoardStatus(boardTicks, boardTicks,
            org.nudaq.monitor.wire.FrameDescriptor.REACTOR_ON, java.util.List.of(
                new org.nudaq.monitor.wire.ChannelCounters(0, boardTicks, 0, accepted[0], 0),
                new org.nudaq.monitor.wire.ChannelCounters(1, boardTicks, 0, accepted[1], 0)));
        out[k++] = copy(buf, writer.writeStatus(buf, 0, BenchStream.BOARD, sequence[0]++, status));
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static byte[] copy(java.nio.ByteBuffer buf, int length) {
    byte[] b = new byte[length];
    buf.get(0, b);
    return b;
  }
}
