/**
 * The event pipeline without networking: channel map, time-ordered merge, calibration through precomputed ADC
 * tables, NaI anticoincidence, gates, ON/OFF spectra with exact live time, the event accounting, state save/restore
 * and the immutable {@code PipelineSnapshot} it publishes. Owned by one thread at a time (the daemon's
 * {@code nudaq-pipeline} thread, or the replay's thread); the per-event path allocates nothing. Only the published
 * snapshot is read by other threads.
 */
package org.nudaq.server.pipeline;
