/**
 * The journal: every validated frame and every state change appended to a Chronicle Queue before the pipeline
 * sees it ({@code JournalWriter}, on the pipeline thread only), in the record layout of
 * {@code monitor.journal.JournalRecordLayout}, and reading
 * it back in order ({@code JournalReader}, {@code JournalPlayer}, {@code JournalSession}) on whatever single thread
 * replays or recovers. The writer's claim on its directory ({@code WriterClaim}) keeps a second writer out.
 */
package org.nudaq.server.journal;
