package org.nudaq.server.pipeline.bench;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineStates;

/**
 * A command, not a test: a SHA-256 digest of the pipeline's complete state ({@code PipelineStates}) while
 * it takes exactly the input of {@link PipelineBenchmark#decodeAndProcess} (the benchmark's 256 frames,
 * decoded by {@link FrameReader} into {@link PipelineBenchmark.Forwarder}, {@code passes} passes later
 * and later in data time), every 37 frames and after {@code finish()}. {@code PipelineDigest} covers the
 * simulator's run through {@code onEvent}; this one covers the board-frame path the benchmark measures,
 * at its rates (a HPGe event every 25 µs, NaI every 6 µs). Run it on the commits before and after a change
 * of the hot path: the digests must be equal. Single-threaded.
 *
 * <pre>
 * mvn -B -q -o -DskipTests -pl daq-server -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * cd daq-server && java -cp "target/test-classes:target/classes:../monitor/target/classes:../hardware-sim/target/classes:$(cat target/test-classpath.txt)" \
 *     org.nudaq.server.pipeline.bench.BenchStreamDigest 3     # passes
 * </pre>
 */
public final class BenchStreamDigest {
  private BenchStreamDigest() {}

  public static void main(String[] args) throws Exception {
    int passes = Integer.parseInt(args.length > 0 ? args[0] : "3");
    EventPipeline pipeline = new EventPipeline(BenchStream.gemma1());
    PipelineBenchmark.Forwarder forwarder = new PipelineBenchmark.Forwarder(pipeline);
    BenchStream.Events events = BenchStream.Events.generate(PipelineBenchmark.Frames.EVENTS_PER_FRAME * PipelineBenchmark.Frames.FRAME_COUNT, 7);
    byte[][] frames = BenchStream.frames(events, PipelineBenchmark.Frames.FRAME_COUNT);
    FrameReader reader = new FrameReader();
    reader.decode(ByteBuffer.wrap(BenchStream.hello()), forwarder);
    forwarder.spanTicks = events.spanTicks;
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (int p = 0; p < passes; p++) {
      int k = 0;
      for (byte[] frame : frames) {
        reader.decode(ByteBuffer.wrap(frame), forwarder);
        if (++k % 37 == 0) {
          all.update(PipelineStates.of(pipeline));
        }
      }
      forwarder.offsetTicks += forwarder.spanTicks;
    }
    pipeline.finish();
    all.update(PipelineStates.of(pipeline));
    System.out.println("digest " + HexFormat.of().formatHex(all.digest()));
  }
}
