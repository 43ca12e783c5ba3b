package org.nudaq.server.compass.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassFrameAssembler;
import org.nudaq.server.compass.CompassRecordSink;
import org.nudaq.server.compass.CompassStreamDecoder;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.x27xx.X27xxRawDecoder;
import org.nudaq.server.x27xx.X27xxVisitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The new CAEN readers on one core, in events/s (one operation = one event), on the {@link BenchStream}
 * events (GEMMA-I-like, 20% HPGe, 80% NaI, CoMPASS board 0 channels 0 and 1):
 * <ul>
 *   <li>{@link #compassStreamToFrames}: the CoMPASS TCP stream's bytes (20-byte records: energy and
 *       energy short) through {@link CompassStreamDecoder} (alignment search from byte 7, per-record
 *       check) and {@link CompassFrameAssembler} into wire frames ready for the journal, as the link does
 *       per read — the reader;</li>
 *   <li>{@link #compassStreamToPipeline}: the same, and every frame through {@link PipelineInputs} into a
 *       fresh pipeline, as the daemon's pipeline thread does — comparable to ReplayBenchmark.compassImport;</li>
 *   <li>{@link #x27xxDecode}: the same events as x27xx raw aggregates (two big-endian words per hit, 4096-word
 *       aggregates) through {@link X27xxRawDecoder} into a visitor that sums the fields — the reader.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Measurement(iterations = 5, time = 2)
public class CaenReadersBenchmark {
  static final int EVENTS = 2_000_000;
  /** Bytes per network read the stream is cut into (a 64 kB socket read). */
  static final int READ_BYTES = 65_536;

  private NudaqConfig config;
  private ByteBuf stream;
  private ByteBuffer raw;
  private int rawBytes;

  @Setup(Level.Trial)
  public void setUp() {
    NudaqConfig c = BenchStream.gemma1();
    config = c.withCompass(new CompassConfig(c.compass().channels(),
        new CompassStreamConfig("127.0.0.1", 1, true, false, true, 64, 3600)));
    BenchStream.Events e = BenchStream.Events.generate(EVENTS, 11);
    ByteBuffer s = ByteBuffer.allocate(7 + EVENTS * 20).order(ByteOrder.LITTLE_ENDIAN);
    s.put(new byte[] {1, 2, 3, 4, 5, 6, 7}); // joined inside a record
    for (int i = 0; i < EVENTS; i++) {
      int flags = (e.flags[i] & 0x1) != 0 ? 0x8000 : 0;
      s.putShort((short) 0).putShort((short) e.channel[i]).putLong(e.ticks[i] * 4000).putShort((short) e.adc[i])
          .putShort((short) 0).putInt(flags);
    }
    stream = Unpooled.wrappedBuffer(s.array());
    raw = ByteBuffer.allocate(EVENTS * 16 + (EVENTS / 2000 + 1) * 8).order(ByteOrder.BIG_ENDIAN);
    int aggregateStart = -1;
    for (int i = 0; i < EVENTS; i++) {
      if (aggregateStart < 0 || (raw.position() - aggregateStart) / 8 + 2 > 4096) {
        if (aggregateStart >= 0) {
          raw.putLong(aggregateStart, (0x2L << 60) | (raw.position() - aggregateStart) / 8);
        }
        aggregateStart = raw.position();
        raw.putLong(0);
      }
      long ps = e.ticks[i] * 4000;
      raw.putLong(((long) e.channel[i] << 56) | (ps / 8000));
      raw.putLong((1L << 63) | ((ps % 8000) * 128 / 1000) << 16 | e.adc[i]);
    }
    raw.putLong(aggregateStart, (0x2L << 60) | (raw.position() - aggregateStart) / 8);
    rawBytes = raw.position();
  }

  /** Feeds the stream in network-read-sized pieces, as ByteToMessageDecoder's cumulation would. */
  private void feed(CompassStreamDecoder d, CompassFrameAssembler a) {
    ByteBuf all = stream.duplicate();
    int end = all.writerIndex();
    int limit = 0;
    while (limit < end) {
      limit = Math.min(end, limit + READ_BYTES);
      ByteBuf view = all.slice(0, limit);
      view.readerIndex(all.readerIndex());
      d.decode(view, a);
      all.readerIndex(view.readerIndex());
      a.flush();
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long compassStreamDecode() {
    CompassStreamDecoder d = new CompassStreamDecoder(config.compass().stream(), config);
    long[] sum = new long[1];
    CompassRecordSink sink = (board, channel, timestampPs, energyAdc, flags) -> sum[0] += channel + timestampPs + energyAdc + flags;
    ByteBuffer all = stream.nioBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int at = 0;
    int end = all.limit();
    while (at < end) {
      at += d.decode(all, at, Math.min(READ_BYTES, end - at), sink);
    }
    return sum[0] + d.records();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long compassStreamToFrames(Blackhole bh) {
    CompassStreamDecoder d = new CompassStreamDecoder(config.compass().stream(), config);
    long[] bytes = new long[1];
    CompassFrameAssembler a = new CompassFrameAssembler(config, (board, buffer, length) -> {
      bytes[0] += length;
      bh.consume(buffer);
    });
    feed(d, a);
    return bytes[0] + d.records();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long compassStreamToPipeline() {
    CompassStreamDecoder d = new CompassStreamDecoder(config.compass().stream(), config);
    EventPipeline pipeline = new EventPipeline(config);
    PipelineInputs inputs = new PipelineInputs(pipeline);
    CompassFrameAssembler a = new CompassFrameAssembler(config,
        (board, buffer, length) -> inputs.frame(board, buffer.array(), length, 0));
    a.hello();
    feed(d, a);
    inputs.finish();
    return pipeline.received();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long x27xxDecode() {
    Sum sum = new Sum();
    new X27xxRawDecoder("bench").decode(raw, 0, rawBytes, 0, true, sum);
    return sum.total;
  }

  /** Sums the hit fields so that nothing is optimised away. */
  private static final class Sum implements X27xxVisitor {
    long total;

    @Override
    public void onStartRun(long channelMask, long acquisitionWord) {}

    @Override
    public void onStopRun(long runEndTimestamp8ns, long totalDeadTime8ns) {}

    @Override
    public void onAggregate(int counter, boolean flush, boolean boardFail, long words) {}

    @Override
    public void onHit(int channel, long timestamp8ns, int fineTimestamp, int energy, int energyShort, int flagsLow, int flagsHigh,
        boolean singleWord, boolean waveform) {
      total += channel + timestamp8ns + fineTimestamp + energy + flagsHigh;
    }

    @Override
    public void onStatistics(int channel, long realTime8ns, long deadTime8ns, int triggers, int savedEvents) {}

    @Override
    public void onError(long offset, String message) {
      throw new IllegalStateException(message);
    }
  }
}
