/**
 * The journal: every validated frame and every state change appended to a Chronicle Queue before the pipeline
 * sees it ({@code JournalWriter}, on the pipeline thread only), in the record layout of
 * {@code monitor.journal.JournalRecordLayout}, and reading
 * it back in order ({@code JournalReader}, {@code JournalPlayer}, {@code JournalSession}) on whatever single thread
 * replays or recovers ({@code JournalReader#range}: a session's records counted across cycle files, to cut it for a
 * replay on several cores, each segment with its own reader on its own thread). The writer's claim on its directory
 * ({@code WriterClaim}) keeps a second writer out; the directory's size ({@code JournalSize}, measured again only at a
 * roll, after the retention deleted files, or every 10 s) is read by any thread.
 */
package org.nudaq.server.journal;
