package org.nudaq.server.ingest;

/**
 * The recorder did not record an input (the journal's disk is full): the input must not reach the
 * pipeline, and the pipeline thread keeps it and offers it again once {@link IngestRecorder#accepting()}
 * is true. Nothing was written for it.
 */
public final class RecordingRefusedException extends RuntimeException {
  public RecordingRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
