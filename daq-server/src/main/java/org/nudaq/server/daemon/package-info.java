/**
 * The daemon as a whole: it wires the board links, the frame queue, the pipeline thread, the journal, the
 * checkpoints, crash recovery and the monitoring server, and on shutdown waits (at most 60 s) for the frames the
 * links hold under back-pressure, then writes the final spectra and the run summary (pretty-printed JSON without an
 * ObjectMapper, {@code SummaryJson}, also for the replay summary and the calibration report). {@code Daemon#start()}/
 * {@code close()} run on the caller's (main or shutdown-hook) thread; run control is thread-safe and hands its journal
 * records to the pipeline thread.
 */
package org.nudaq.server.daemon;
