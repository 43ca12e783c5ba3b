package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import org.nudaq.server.ingest.FrameQueue;
import org.nudaq.server.ingest.IngestLoop;
import org.nudaq.server.ingest.LimitsUpdater;

/**
 * Meters of the hand-off from the links to the pipeline thread: the queue (the pipeline's lag) and
 * the arrival-to-processing latency of frames, as a function timer over the loop's own counters.
 * Thread-safety: everything read is atomic or volatile.
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
 */
public final class IngestMetrics implements MeterBinder {
  private final IngestLoop ingest;
  private final FrameQueue queue;
  private final Iterable<Tag> tags;

  public IngestMetrics(IngestLoop ingest, FrameQueue queue, Iterable<Tag> tags) {
    this.ingest = ingest;
    this.queue = queue;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.pipeline.lag.frames", queue, FrameQueue::size)
        .description("Frames waiting for the pipeline thread (its lag)").tags(tags).register(registry);
    Gauge.builder("nudaq.pipeline.lag", queue, FrameQueue::queuedBytes).baseUnit("bytes")
        .description("Bytes waiting for the pipeline thread").tags(tags).register(registry);
    Gauge.builder("nudaq.pipeline.queue.heap", queue, FrameQueue::heapBytes).baseUnit("bytes")
        .description("Heap the frame queue holds for frames (recycled buffers and large frames waiting)").tags(tags)
        .register(registry);
    Gauge.builder("nudaq.pipeline.queue.heap.max", queue, FrameQueue::maxBytes).baseUnit("bytes")
        .description("Bound on the frame queue's heap, digitizer.frameQueueMaxBytes (plus one frame of at most 1 MiB)")
        .tags(tags).register(registry);
    FunctionCounter.builder("nudaq.pipeline.queue.refusals", queue, FrameQueue::refusals)
        .description("Frames the queue refused because it was full (the link then paused)").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.pipeline.decode.errors", ingest, IngestLoop::decodeErrors)
        .description("Frames that failed to decode on the pipeline thread").tags(tags).register(registry);
    FunctionTimer.builder("nudaq.pipeline.frame.latency", ingest, IngestLoop::framesProcessed,
        IngestLoop::latencyNanosTotal, TimeUnit.NANOSECONDS)
        .description("Time from a frame's arrival at the link to its processing by the pipeline").tags(tags).register(registry);
    Gauge.builder("nudaq.pipeline.frame.latency.last", ingest, l -> l.lastFrameLatencyNanos() * 1e-9).baseUnit("seconds")
        .description("Arrival-to-processing time of the last frame").tags(tags).register(registry);
    LimitsUpdater limits = ingest.limitsUpdater();
    FunctionCounter.builder("nudaq.limits.updates", limits, LimitsUpdater::computed)
        .description("Running-limit computations done on the limits thread").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.limits.coalesced", limits, LimitsUpdater::coalesced)
        .description("Snapshots replaced by a newer one before the limits thread took them up (it was busy)")
        .tags(tags).register(registry);
  }
}
