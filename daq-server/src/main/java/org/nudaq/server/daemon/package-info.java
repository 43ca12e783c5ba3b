/**
 * The daemon as a whole: it wires the board links, the frame queue, the pipeline thread, the journal, the
 * checkpoints, crash recovery and the monitoring server, and on shutdown writes the final spectra and the run
 * summary. {@code Daemon#start()}/{@code close()} run on the caller's (main or shutdown-hook) thread; run control is
 * thread-safe and hands its journal records to the pipeline thread.
 */
package org.nudaq.server.daemon;
