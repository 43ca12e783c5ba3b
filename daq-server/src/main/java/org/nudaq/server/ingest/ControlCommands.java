package org.nudaq.server.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.ReactorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control commands of the pipeline thread: any thread submits, the pipeline thread runs them between
 * frames ({@link #runAll}). A reactor-state command is journaled first and applied only if the journal
 * took it, so a replay sees it at the same place in the data; a refused one completes exceptionally and
 * is not applied.
 *
 * <p>Thread-safe to submit (a lock-free queue); {@link #runAll} on the pipeline thread only.
 */
final class ControlCommands {
  private static final Logger LOG = LoggerFactory.getLogger(ControlCommands.class);

  private final ConcurrentLinkedQueue<Consumer<EventPipeline>> queue = new ConcurrentLinkedQueue<>();
  private final EventPipeline pipeline;
  private final PipelineInputs inputs;
  private final IngestRecorder recorder;
  private final Clock clock;

  ControlCommands(EventPipeline pipeline, PipelineInputs inputs, IngestRecorder recorder, Clock clock) {
    this.pipeline = pipeline;
    this.inputs = inputs;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** Queues a command for the pipeline thread. */
  void submit(Consumer<EventPipeline> command) {
    queue.add(command);
  }

  /** Runs every queued command; one that throws is logged and the next runs. Pipeline thread. */
  void runAll() {
    Consumer<EventPipeline> c;
    while ((c = queue.poll()) != null) {
      try {
        c.accept(pipeline);
      } catch (RuntimeException e) {
        LOG.warn("control command failed: {}", e.toString());
      }
    }
  }

  /** A reactor state and thermal power from the current data time on; see {@link IngestLoop#submitReactorState}. */
  CompletableFuture<Boolean> reactorState(ReactorState state, double powerFraction) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(p -> journalThenApply(state, powerFraction, p.dataTimeNs(), done));
    return done;
  }

  /** A reactor state and thermal power from data time {@code effectiveTimeNs} on; see {@link IngestLoop#submitReactorStateFrom}. */
  CompletableFuture<Boolean> reactorStateFrom(ReactorState state, double powerFraction, long effectiveTimeNs) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(p -> journalThenApply(state, powerFraction, effectiveTimeNs, done));
    return done;
  }

  /** A reactor state and thermal power from a wall-clock instant on; see {@link IngestLoop#submitReactorStateAt}. */
  CompletableFuture<Boolean> reactorStateAt(ReactorState state, double powerFraction, Instant at) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(p -> journalThenApply(state, powerFraction, dataTimeOf(p.dataTimeNs(), at), done));
    return done;
  }

  /**
   * The data time of wall-clock instant {@code at}: the current data time plus {@code at − now} (the
   * daemon's clock), clamped far from overflow; Long.MIN_VALUE (from the start) before any data.
   */
  private long dataTimeOf(long nowDataNs, Instant at) {
    if (nowDataNs == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long deltaNs;
    try {
      deltaNs = Duration.between(clock.instant(), at).toNanos();
    } catch (ArithmeticException e) {
      deltaNs = at.isBefore(clock.instant()) ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
    }
    return nowDataNs + Math.max(Long.MIN_VALUE / 4, Math.min(Long.MAX_VALUE / 4, deltaNs));
  }

  /** Journals a reactor state, then applies it; a refused record is neither applied nor lost silently. */
  private void journalThenApply(ReactorState state, double powerFraction, long effectiveNs,
      CompletableFuture<Boolean> done) {
    try {
      recorder.reactorState(state, powerFraction, effectiveNs);
    } catch (RecordingRefusedException e) {
      done.completeExceptionally(e); // not journaled, so not applied
      return;
    }
    done.complete(inputs.reactorState(state, powerFraction, effectiveNs));
  }
}
