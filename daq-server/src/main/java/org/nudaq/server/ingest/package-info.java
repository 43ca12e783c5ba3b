/**
 * The hand-off from the board links to the pipeline and the pipeline thread itself: the bounded, recycled
 * {@code FrameQueue} (filled on the link event loop, drained on the pipeline thread; back-pressure by turning
 * autoRead off), {@code IngestLoop} (the {@code nudaq-pipeline} thread, sole owner of the {@code EventPipeline}),
 * the recorder contract that journals every input before the pipeline sees it, {@code PipelineInputs}, the one
 * place where recorded inputs are applied (live, recovery and replay alike), and {@code LimitsUpdater}, the
 * running limits' own thread.
 *
 * <p><b>Threads.</b>
 * <ul>
 *   <li>The Netty event loop (the links) copies validated frames into the {@code FrameQueue}; it never
 *       touches the pipeline.</li>
 *   <li>The pipeline thread {@code nudaq-pipeline} ({@code IngestLoop}) is the only owner of the
 *       {@code EventPipeline} and the journal's single writer: it takes frames in arrival order, journals and
 *       decodes them, runs control commands between frames, publishes immutable snapshots, takes
 *       checkpoints.</li>
 *   <li>The limits thread {@code nudaq-limits} ({@code LimitsUpdater}, one single-threaded executor) is the
 *       only user of the running limits ({@code ExperimentLimits}). Every {@code analysis.updateIntervalSeconds}
 *       the pipeline thread hands it the latest published snapshot, which only swaps a reference; snapshots
 *       handed over while it computes replace each other (coalesced), so ingest never waits for a limit and
 *       never queues work for it. Results are published through a volatile field for the HTTP and metrics
 *       threads.</li>
 * </ul>
 * At shutdown the pipeline thread drains the queue, finishes the pipeline, hands the final snapshot to the
 * limits thread and waits for that last result before the run summary is written.
 */
package org.nudaq.server.ingest;
