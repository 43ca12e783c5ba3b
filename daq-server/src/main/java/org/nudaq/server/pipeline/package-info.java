/**
 * The event pipeline without networking: channel map, time-ordered merge, calibration through precomputed ADC
 * tables, NaI anticoincidence, gates, ON/OFF spectra with exact live time, the event accounting, state save/restore
 * and the immutable {@code PipelineSnapshot} it publishes. Owned by one thread at a time (the daemon's
 * {@code nudaq-pipeline} thread, or the replay's thread); the per-event path allocates nothing. Only the published
 * snapshot is read by other threads. A segmented replay (issue 19) runs one pipeline per segment, each on its own
 * thread, and joins their saved states exactly on the calling thread ({@code SegmentJoin}, with {@code StateLayout}
 * saying which bytes are sums and {@code SegmentLog} the order of a segment's floating-point terms and verdicts).
 */
package org.nudaq.server.pipeline;
