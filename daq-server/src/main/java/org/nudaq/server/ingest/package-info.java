/**
 * The hand-off from the board links to the pipeline and the pipeline thread itself: the bounded, recycled
 * {@code FrameQueue} (filled on the link event loop, drained on the pipeline thread; back-pressure by turning
 * autoRead off), {@code IngestLoop} (the {@code nudaq-pipeline} thread, sole owner of the {@code EventPipeline}),
 * the recorder contract that journals every input before the pipeline sees it, and {@code PipelineInputs}, the one
 * place where recorded inputs are applied (live, recovery and replay alike).
 */
package org.nudaq.server.ingest;
