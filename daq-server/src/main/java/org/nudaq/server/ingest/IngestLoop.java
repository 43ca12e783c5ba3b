package org.nudaq.server.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.wire.WireFormatException;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline thread: the one owner of the {@link EventPipeline}. It takes frames from the
 * {@link FrameQueue} in arrival order, decodes them straight into the pipeline, runs control
 * commands between frames, lets silent boards stop holding back the merge, publishes snapshots
 * for readers and, every {@code limitsIntervalNanos}, hands the latest snapshot to the
 * {@link LimitsUpdater}, which computes the running limits on its own thread (this thread never
 * waits for them; at the end it waits for the final update after the pipeline has finished).
 *
 * <p>{@link #stop()} drains everything already received before the pipeline is finished: nothing
 * that arrived is lost on shutdown.
 *
 * <p>When the recorder cannot record (the journal's disk is full, {@link IngestRecorder#accepting()}
 * false, or a record refused) the thread takes no frames, runs no commands and records no idleness:
 * nothing reaches the pipeline without being journaled. The frame queue fills and the links stop
 * reading (the boards buffer, and if it lasts lose triggers, which they count and report). A refused
 * frame is kept and recorded first when the recorder accepts again. A stop while the recorder refuses
 * abandons what is queued (it was never journaled; the next start sees it as a sequence gap) and leaves
 * the journal session unclosed, for recovery. The session's first record ({@link #recordFirst}) is
 * journaled before anything else, and retried the same way when the disk is below its floor at start.
 *
 * <p>The loop's steps are named: {@link #loop} takes one input at a time ({@link #recordThenApply}:
 * {@link #record}, then {@link #apply}), then runs the {@link ControlCommands} and the periodic duties
 * ({@link Periodic}: idle journaling, checkpoints, publishing, limits); {@link #finishPipeline} ends it
 * one of three ways ({@link Exit}).
 *
 * <p>Size: at ~490 lines over the ~400-line rule: about a third is its public face (constructors, the submit methods, the counters the metrics read), each a line
 * handing over; the refusal rules above tie the remaining steps to one state (the refused slot).
 */
public final class IngestLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
  private static final long IDLE_CHECK_NANOS = 100_000_000L;
  /** How long the thread waits between checks while the recorder refuses, ns. */
  private static final long REFUSED_WAIT_NANOS = 20_000_000L;

  private final FrameQueue queue;
  private final EventPipeline pipeline;
  private final LimitsUpdater limits;
  private final Clock clock;
  private final long publishIntervalNanos;
  private final long limitsIntervalNanos;
  private final PipelineInputs inputs;
  private final IngestRecorder recorder;
  private final PipelineCheckpoint checkpoint;
  private final ControlCommands commands;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicLong framesProcessed = new AtomicLong();
  private final AtomicLong decodeErrors = new AtomicLong();
  private final AtomicLong latencyNanosTotal = new AtomicLong();
  private final LatencyRecorder latency = new LatencyRecorder();
  private volatile boolean stopping;
  private volatile boolean recorderRefusing;
  private final AtomicLong framesAbandoned = new AtomicLong();
  private final AtomicLong recorderFaults = new AtomicLong();
  /** A frame the recorder refused: recorded and processed before anything else. Pipeline thread. */
  private FrameQueue.Slot refused;
  /** A record that must be journaled before any input (the session start), until it succeeded. */
  private volatile Runnable first;
  private volatile long lastFrameLatencyNanos;

  /**
   * @param queue                frames from the board links
   * @param pipeline             the pipeline this thread owns
   * @param limits               the running limits of the experiment
   * @param clock                wall clock for snapshot and limit time stamps
   * @param publishIntervalNanos how often readers get a new snapshot
   * @param limitsIntervalNanos  how often the limits are recomputed
   */
  public IngestLoop(FrameQueue queue, EventPipeline pipeline, ExperimentLimits limits, Clock clock,
      long publishIntervalNanos, long limitsIntervalNanos) {
    this(queue, pipeline, limits, clock, publishIntervalNanos, limitsIntervalNanos, IngestRecorder.NONE);
  }

  /**
   * As above, with every input recorded (journaled) by {@code recorder} before it reaches the pipeline:
   * the pipeline thread is the journal's single writer, in exactly the order the pipeline sees.
   */
  public IngestLoop(FrameQueue queue, EventPipeline pipeline, ExperimentLimits limits, Clock clock,
      long publishIntervalNanos, long limitsIntervalNanos, IngestRecorder recorder) {
    this(queue, pipeline, limits, clock, publishIntervalNanos, limitsIntervalNanos, recorder, PipelineCheckpoint.NONE);
  }

  /**
   * As above, with {@code checkpoint} called between inputs (periodic checkpoints), where the
   * pipeline reflects exactly the inputs recorded so far.
   */
  public IngestLoop(FrameQueue queue, EventPipeline pipeline, ExperimentLimits limits, Clock clock,
      long publishIntervalNanos, long limitsIntervalNanos, IngestRecorder recorder, PipelineCheckpoint checkpoint) {
    this.recorder = recorder;
    this.checkpoint = checkpoint;
    this.queue = queue;
    this.pipeline = pipeline;
    this.limits = new LimitsUpdater(limits);
    this.clock = clock;
    this.publishIntervalNanos = publishIntervalNanos;
    this.limitsIntervalNanos = limitsIntervalNanos;
    this.inputs = new PipelineInputs(pipeline);
    this.commands = new ControlCommands(pipeline, inputs, recorder, clock);
  }

  /**
   * A record that must be journaled before any input (the journal's SESSION record): run on the
   * pipeline thread before it takes any frame or command, and while it throws
   * {@link RecordingRefusedException} (the journal's disk is below its floor, also at start) retried
   * whenever the recorder accepts again — nothing is taken before it succeeded, so no frame is ever
   * journaled outside a session. Call before the thread starts.
   */
  public void recordFirst(Runnable record) {
    first = record;
  }

  /** Runs a command on the pipeline thread between frames (control actions, tests). */
  public void submit(Consumer<EventPipeline> command) {
    commands.submit(command);
  }

  /**
   * Sets the reactor state from the control API at the current data time, journaled first so that
   * replays reproduce it. Completes with false if the pipeline ignored it.
   */
  public CompletableFuture<Boolean> submitReactorState(boolean on) {
    ReactorState state = on ? ReactorState.ON : ReactorState.OFF;
    return submitReactorState(state, on ? 1.0 : 0.0);
  }

  /**
   * Sets the reactor state and thermal power from a wall-clock instant (a plant log's line): the data
   * time it applies from is the current data time plus {@code at − now} (the daemon's clock), computed
   * on the pipeline thread and journaled, so replays reproduce it. Before any data it applies from the
   * start. Completes with false if the pipeline ignored it (no change, or older than the last change).
   */
  public CompletableFuture<Boolean> submitReactorStateAt(ReactorState state, double powerFraction, Instant at) {
    return commands.reactorStateAt(state, powerFraction, at);
  }

  /**
   * Sets the reactor state and thermal power (fraction of nominal, finite, ≥ 0) at the current data
   * time, journaled first. Completes with false if the pipeline ignored it.
   */
  public CompletableFuture<Boolean> submitReactorState(ReactorState state, double powerFraction) {
    return commands.reactorState(state, powerFraction);
  }

  /**
   * Sets the reactor state and thermal power from data time {@code effectiveTimeNs} (a source that
   * knows the data time, e.g. a followed CoMPASS folder's reactor option), journaled first.
   * Completes with false if the pipeline ignored it.
   */
  public CompletableFuture<Boolean> submitReactorStateFrom(ReactorState state, double powerFraction, long effectiveTimeNs) {
    return commands.reactorStateFrom(state, powerFraction, effectiveTimeNs);
  }

  /** How the loop ended; each way finishes the pipeline differently ({@link #finishPipeline}). */
  private enum Exit {
    /** stop(): everything received was processed. */
    STOPPED,
    /** stop() while the recorder refused: what is queued was never journaled and is abandoned. */
    STOPPED_WHILE_REFUSING,
    /** The thread was interrupted: the pipeline finishes with what it has. */
    INTERRUPTED
  }

  @Override
  public void run() {
    try {
      finishPipeline(takeInputsUntilStopped());
    } catch (RuntimeException e) {
      LOG.error("pipeline thread failed", e);
      throw e;
    } finally {
      finishLimits();
      finished.countDown();
    }
  }

  private Exit takeInputsUntilStopped() {
    try {
      if (first == null) {
        commands.runAll(); // commands submitted before the start come first (after the recordFirst record, if any)
      }
      return loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("pipeline thread interrupted; finishing with what was received");
      return Exit.INTERRUPTED;
    }
  }

  /** Takes inputs until stopped: one frame (or a wait while the recorder refuses), then the periodic duties. */
  private Exit loop() throws InterruptedException {
    Periodic periodic = new Periodic(System.nanoTime());
    while (true) {
      boolean accepting = recorder.accepting() && recordedFirst();
      recorderRefusing = !accepting;
      if (!accepting) {
        if (stopping) {
          abandonQueued();
          return Exit.STOPPED_WHILE_REFUSING;
        }
        LockSupport.parkNanos(REFUSED_WAIT_NANOS); // retried when the recorder accepts again
      } else if (refused != null) {
        FrameQueue.Slot slot = refused;
        refused = null;
        recordThenApply(slot);
      } else {
        FrameQueue.Slot slot = queue.poll(20, TimeUnit.MILLISECONDS);
        if (slot != null) {
          recordThenApply(slot);
        } else if (stopping) {
          return Exit.STOPPED;
        }
      }
      if (accepting && refused == null) {
        commands.runAll();
      }
      periodic.run(System.nanoTime());
    }
  }

  /** The duties between inputs, each at its own interval (monotonic ns). Pipeline thread. */
  private final class Periodic {
    private long lastIdle;
    private long lastPublish;
    private long lastLimits;

    Periodic(long now) {
      lastIdle = now;
      lastPublish = now;
      lastLimits = now;
    }

    void run(long now) {
      if (now - lastIdle >= IDLE_CHECK_NANOS && refused == null && recorder.accepting()) {
        journalIdle(now);
        lastIdle = now;
      }
      // Every input recorded so far has been applied (a refused one neither): a consistent point.
      checkpoint.betweenInputs(now);
      if (now - lastPublish >= publishIntervalNanos) {
        pipeline.publish(clock.instant());
        lastPublish = now;
      }
      if (now - lastLimits >= limitsIntervalNanos) {
        limits.offer(pipeline.latest()); // returns at once: the limits thread computes them
        lastLimits = now;
      }
    }
  }

  /** The merge's wall-clock idleness check, journaled first; a refused one is not applied. */
  private void journalIdle(long now) {
    try {
      recorder.idle(now);
      inputs.idle(now);
    } catch (RecordingRefusedException e) {
      // not journaled, so not applied; the next check comes after the disk has space again
    } catch (InternalError e) {
      recorderFaulted("an idle check", e);
    }
  }

  /**
   * Finishes the pipeline after the loop: on a normal stop the late commands run and the session's end
   * is journaled; after a stop while refusing nothing more is journaled (the session stays unclosed for
   * recovery); after an interrupt the pipeline finishes with what it has. Each publishes the final
   * snapshot; the first two also hand it to the limits thread.
   */
  private void finishPipeline(Exit exit) {
    switch (exit) {
      case STOPPED -> {
        commands.runAll();
        pipeline.finish();
        try {
          recorder.finished();
        } catch (RecordingRefusedException e) {
          LOG.error("the end of the session was not journaled ({}); the next start recovers it", e.getMessage());
        }
        limits.offer(pipeline.publish(clock.instant()));
      }
      case STOPPED_WHILE_REFUSING -> {
        pipeline.finish();
        limits.offer(pipeline.publish(clock.instant()));
      }
      case INTERRUPTED -> {
        pipeline.finish();
        pipeline.publish(clock.instant());
      }
    }
  }

  /** After the pipeline finished: the final limits from the last snapshot, then the limits thread ends. */
  private void finishLimits() {
    try {
      if (!limits.awaitIdle(60, TimeUnit.SECONDS)) {
        LOG.warn("the final running limits were not computed within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      limits.close();
    }
  }

  /** Journals the {@link #recordFirst} record if it is still due; false if it was refused (retried later). */
  private boolean recordedFirst() {
    Runnable r = first;
    if (r == null) {
      return true;
    }
    try {
      r.run();
      first = null;
      commands.runAll(); // commands submitted before the start (run control) come right after it
      return true;
    } catch (RecordingRefusedException e) {
      return false;
    } catch (InternalError e) {
      recorderFaulted("the session start", e);
      return false;
    }
  }

  /** Records one slot, then applies it; a slot the recorder refuses is kept in {@link #refused}. */
  private void recordThenApply(FrameQueue.Slot slot) {
    if (!record(slot)) {
      refused = slot; // not journaled: not applied, not released; recorded again when the recorder accepts
      return;
    }
    try {
      if (slot.linkState() == 0) {
        apply(slot);
      }
    } finally {
      queue.release(slot);
    }
  }

  /** Journals a slot (a frame, or a link going up or down); false if the recorder refused or faulted. */
  private boolean record(FrameQueue.Slot slot) {
    try {
      if (slot.linkState() != 0) {
        recorder.linkState(slot.boardId(), slot.linkState() > 0);
      } else {
        // On disk before the pipeline sees it: a crash after this line loses nothing of this frame.
        recorder.frame(slot.boardId(), slot.data(), slot.length(), slot.framesLostBefore());
      }
      return true;
    } catch (RecordingRefusedException e) {
      return false;
    } catch (InternalError e) {
      // The frame is kept as refused, like the frames queued behind it, and never processed unjournaled.
      recorderFaulted("a frame of board " + slot.boardId(), e);
      return false;
    }
  }

  /** Decodes a journaled frame into the pipeline and records its latency. */
  private void apply(FrameQueue.Slot slot) {
    try {
      inputs.frame(slot.boardId(), slot.data(), slot.length(), slot.framesLostBefore());
    } catch (WireFormatException e) {
      // The link validated the frame; this cannot happen unless memory was corrupted. Count it.
      decodeErrors.incrementAndGet();
      LOG.error("board {}: frame failed to decode on the pipeline thread: {}", slot.boardId(), e.getMessage());
    }
    framesProcessed.incrementAndGet();
    long latency = System.nanoTime() - slot.receivedNanos();
    lastFrameLatencyNanos = latency;
    latencyNanosTotal.addAndGet(latency);
    this.latency.record(latency);
  }

  /**
   * A SIGBUS of the mapped journal delivered after a record method returned (the JVM does that): the
   * recorder stops for good (JournalWriter.mappedFault) instead of this thread dying.
   */
  private void recorderFaulted(String what, InternalError e) {
    recorderFaults.incrementAndGet();
    LOG.error("the journal's file faulted while recording {} ({}); journaling stops until the daemon restarts", what,
        e.toString());
    recorder.faulted(e);
  }

  /** Stop while the recorder refuses: what is queued was never journaled and is not processed. */
  private void abandonQueued() {
    long n = 0;
    if (refused != null) {
      queue.release(refused);
      refused = null;
      n++;
    }
    FrameQueue.Slot s;
    while ((s = queue.poll()) != null) {
      queue.release(s);
      n++;
    }
    framesAbandoned.addAndGet(n);
    LOG.error("stopped while the journal refuses records (disk full): {} queued frame(s) were not journaled nor processed; "
        + "the journal session stays unclosed and the next start recovers it and counts them as lost frames", n);
  }

  /** Asks the loop to drain what was received, finish the pipeline and end. */
  public void stop() {
    stopping = true;
  }

  /** Waits until the loop has finished; true if it did within the timeout. */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** The newest running limits (computed on the limits thread), or null before the first. Any thread. */
  public ExperimentResult latestLimits() {
    return limits.latest();
  }

  /** The limits thread's state: computations done, snapshots coalesced, failures. */
  public LimitsUpdater limitsUpdater() {
    return limits;
  }

  public long framesProcessed() {
    return framesProcessed.get();
  }

  /** Whether the recorder refused records at the last check (the journal's disk is full): no frames are taken. */
  public boolean recorderRefusing() {
    return recorderRefusing;
  }

  /** Faults of the recording medium (SIGBUS of the mapped journal) caught on the pipeline thread. */
  public long recorderFaults() {
    return recorderFaults.get();
  }

  /** Queued frames dropped because the daemon stopped while the recorder refused them (never journaled). */
  public long framesAbandoned() {
    return framesAbandoned.get();
  }

  public long decodeErrors() {
    return decodeErrors.get();
  }

  /** Time from a frame's arrival at the link to its processing, for the last frame, ns. */
  public long lastFrameLatencyNanos() {
    return lastFrameLatencyNanos;
  }

  /** Sum of arrival-to-processing times of all frames, ns (divide by frames for the mean). */
  public long latencyNanosTotal() {
    return latencyNanosTotal.get();
  }

  /** Distribution of the times from a frame's arrival at the link to its processing, ns. */
  public LatencyRecorder latency() {
    return latency;
  }

  /** The pipeline's latest published snapshot. */
  public PipelineSnapshot latest() {
    return pipeline.latest();
  }

  Instant now() {
    return clock.instant();
  }
}
