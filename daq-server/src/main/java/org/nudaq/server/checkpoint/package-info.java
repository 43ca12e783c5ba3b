/**
 * Crash-recovery state of the pipeline (checkpoints; "snapshot" means only a published view): periodic state files taken on the pipeline thread between inputs with
 * the journal index they match, written atomically by the {@code nudaq-checkpoint-writer} thread, and the recovery
 * that restores the newest usable one and replays the journal after it (at start, on the starting thread, before
 * the pipeline thread runs).
 */
package org.nudaq.server.checkpoint;
