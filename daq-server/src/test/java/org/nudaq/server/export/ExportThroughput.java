package org.nudaq.server.export;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.pipeline.bench.PipelineBenchmark;

/**
 * The export's throughput and memory on a long input (a documented command, not part of the suite;
 * docs/benchmarks.md): the benchmarks' GEMMA-I-like wire stream ({@link BenchStream}, 256 frames of
 * 1000 events replayed later and later in data time) decoded and put through an exporting pipeline
 * into LH5 or Parquet, {@code N} events in all. Prints events/s, the heap's peak use after GC and the
 * output size. Run it with a small {@code -Xmx} to show the bound.
 *
 * <p>usage: {@code ExportThroughput EVENTS lh5|parquet|lh5-raw OUT_DIR}
 */
public final class ExportThroughput {
  private ExportThroughput() {}

  public static void main(String[] args) throws Exception {
    long target = (long) Double.parseDouble(args[0]);
    String format = args[1];
    Path out = Path.of(args[2]);
    if (Files.exists(out)) {
      throw new IllegalArgumentException("out=" + out + " exists");
    }
    Files.createDirectories(out);
    NudaqConfig config = BenchStream.gemma1();
    String yaml = Files.readString(Path.of(config.source()));
    List<EventPipeline.Source> sources = EventPipeline.sources(config);
    ExportWriter writer = format.startsWith("lh5") ? new Lh5Writer(out, !format.equals("lh5-raw"), Lh5Writer.PART_ROWS)
        : new ParquetWriter(out, ParquetWriter.PART_ROWS, sources, yaml);
    EventCollector collector = new EventCollector(sources, writer, Exporter.BATCH_ROWS, ExportProgress.NONE);
    EventPipeline pipeline = new EventPipeline(config, collector);
    PipelineBenchmark.Forwarder forwarder = new PipelineBenchmark.Forwarder(pipeline);
    int frameCount = 256;
    BenchStream.Events e = BenchStream.Events.generate(BenchStream.EVENTS_PER_FRAME * frameCount, 7);
    byte[][] frames = BenchStream.frames(e, frameCount);
    FrameReader reader = new FrameReader();
    forwarder.spanTicks = e.spanTicks;
    reader.decode(ByteBuffer.wrap(BenchStream.hello()), forwarder);
    long passEvents = (long) BenchStream.EVENTS_PER_FRAME * frameCount;
    long t0 = System.nanoTime();
    long fed = 0;
    while (fed < target) {
      for (byte[] f : frames) {
        reader.decode(ByteBuffer.wrap(f), forwarder);
      }
      forwarder.offsetTicks += forwarder.spanTicks;
      fed += passEvents;
    }
    pipeline.finish();
    collector.flush();
    writer.finish(new ExportTables("bench", config.source(), yaml, pipeline.publish(java.time.Instant.EPOCH), sources,
        collector.reactor(), List.of(), collector.events()));
    writer.close();
    double s = (System.nanoTime() - t0) * 1e-9;
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    long bytes;
    try (var walk = Files.walk(out)) {
      bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf(Locale.ROOT, "%s: %,d events in %.1f s = %.3g events/s; max heap %d MB, peak heap used %d MB "
        + "(sum of pool peaks); output %.1f MB (%.1f bytes/event); accounting balances %s%n", format, collector.events(), s,
        collector.events() / s, Runtime.getRuntime().maxMemory() >> 20, heapPeak >> 20, bytes / 1e6,
        (double) bytes / collector.events(), pipeline.accountingBalances());
  }
}
