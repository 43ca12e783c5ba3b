package org.nudaq.server.pipeline;

import java.util.Arrays;

/** A pipeline's complete state as bytes ({@link EventPipeline#saveState}), for comparing two pipelines bit for bit. */
public final class PipelineStates {
  private PipelineStates() {}

  public static byte[] of(EventPipeline p) {
    StateWriter w = new StateWriter(1 << 16);
    p.saveState(w);
    return Arrays.copyOf(w.array(), w.position());
  }
}
