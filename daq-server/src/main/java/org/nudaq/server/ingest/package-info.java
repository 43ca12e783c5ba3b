/**
 * From the board links' frames to the pipeline, the journal and the running limits.
 *
 * <p><b>Threads.</b>
 * <ul>
 *   <li>The Netty event loop (the links) copies validated frames into the bounded {@link
 *       org.nudaq.server.ingest.FrameQueue}; it never touches the pipeline.</li>
 *   <li>The pipeline thread {@code nudaq-pipeline} ({@link org.nudaq.server.ingest.IngestLoop}) is
 *       the only owner of the {@link org.nudaq.server.pipeline.EventPipeline} and the journal's
 *       single writer: it takes frames in arrival order, journals and decodes them, runs control
 *       commands between frames, publishes immutable snapshots, takes state snapshots.</li>
 *   <li>The limits thread {@code nudaq-limits} ({@link org.nudaq.server.ingest.LimitsUpdater}, one
 *       single-threaded executor) is the only user of the running limits. Every
 *       {@code analysis.updateIntervalSeconds} the pipeline thread hands it the latest published
 *       snapshot, which only swaps a reference; snapshots handed over while it computes replace each
 *       other (coalesced), so ingest never waits for a limit and never queues work for it. Results
 *       are published through a volatile field for the HTTP and metrics threads.</li>
 * </ul>
 * At shutdown the pipeline thread drains the queue, finishes the pipeline, hands the final snapshot
 * to the limits thread and waits for that last result before the run summary is written.
 */
package org.nudaq.server.ingest;
