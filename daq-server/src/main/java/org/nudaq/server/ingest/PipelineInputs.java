package org.nudaq.server.ingest;

import java.nio.ByteBuffer;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.WireFormatException;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * The inputs of an {@link EventPipeline}, applied exactly as the daemon applies them: the live
 * pipeline thread ({@link IngestLoop}), crash recovery and replays all go through this class, so the
 * same recorded inputs give bit-identical spectra and live times. Allocation-free per frame.
 *
 * <p>Single-threaded: the thread that owns the pipeline.
 */
public final class PipelineInputs {
  private final EventPipeline pipeline;
  private final FrameReader reader = new FrameReader();
  private final PipelineFrameVisitor visitor;

  public PipelineInputs(EventPipeline pipeline) {
    this.pipeline = pipeline;
    this.visitor = new PipelineFrameVisitor(pipeline);
  }

  public EventPipeline pipeline() {
    return pipeline;
  }

  /**
   * One validated frame: first the frames lost before it, then its contents.
   *
   * @throws WireFormatException if the bytes are not a valid frame (nothing of it reached the pipeline
   *     unless the reader had already visited part of it)
   */
  public void frame(int boardId, byte[] data, int length, long framesLostBefore) {
    if (framesLostBefore > 0) {
      pipeline.onFramesLost(boardId, framesLostBefore);
    }
    reader.decode(ByteBuffer.wrap(data, 0, length), 0, length, visitor);
    visitor.endOfFrame();
  }

  /** The wall-clock idleness check of the merge, with the monotonic time, ns. */
  public void idle(long wallClockNanos) {
    pipeline.advanceIdle(wallClockNanos);
  }

  /** A reactor state and thermal power from the control API or a timeline; false if the pipeline ignored it. */
  public boolean reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
    return pipeline.setReactorState(state, powerFraction, effectiveTimeNs);
  }

  /**
   * Issue 17: an online calibration of one channel (journaled before this call), applied from the next
   * event on, then told to the observer set with {@link #onCalibration}; false if the channel is unknown.
   */
  public boolean calibration(org.nudaq.monitor.calibration.CalibrationCodec.Change change) {
    boolean applied = pipeline.applyCalibration(change.boardId(), change.channel(), change.calibration().scale().coefficients());
    if (applied) {
      calibrationObserver.accept(change);
    }
    return applied;
  }

  /** Who hears of each applied calibration (a report); nobody by default. */
  public void onCalibration(java.util.function.Consumer<org.nudaq.monitor.calibration.CalibrationCodec.Change> observer) {
    calibrationObserver = observer;
  }

  private java.util.function.Consumer<org.nudaq.monitor.calibration.CalibrationCodec.Change> calibrationObserver = c -> {};

  /** A slow-control reading applying from data time {@code effectiveTimeNs}; true if it opened or closed an exclusion. */
  public boolean slowControl(String sensor, double value, long effectiveTimeNs) {
    return pipeline.slowControlReading(sensor, value, effectiveTimeNs);
  }

  /** The end of the session: everything decided, nothing pending. */
  public void finish() {
    pipeline.finish();
  }
}
