/**
 * Reading CAEN CoMPASS list-mode data (binary 2022 / headerless, CSV) and feeding it to the pipeline as a
 * live board's frames would be: record layouts ({@code CompassDescriptor}), one reader per file, and the import that
 * interleaves the files by time stamp. Threads: the import ({@code CompassImport}, {@code replay --compass}) runs
 * on the thread of the replay command that uses it (single-threaded, no shared state); one run cut in time
 * ({@code SegmentedCompassImport}, issue 19: {@code CompassSlabGrid} finds the cuts, each {@code CompassSegment}
 * feeds its own pipeline on a "replay-segment-N" thread of {@code replay.ReplayTasks}, the calling thread joins
 * them) shares nothing between segments but immutable inputs; the daemon's follow of a
 * folder CoMPASS is writing ({@code CompassFollow}, with the growing-file readers {@code GrowingCompassFile},
 * {@code CompassGrowingBinary}, {@code CompassGrowingCsv}) reads on its own "compass-follow" thread; the
 * daemon's CoMPASS TCP stream ({@code CompassStreamLink}, {@code CompassStreamHandler}, {@code CompassStreamDecoder})
 * runs on the links' event loop. Both put wire frames into the daemon's frame queue; their counters are read by
 * any thread.
 */
package org.nudaq.server.compass;
