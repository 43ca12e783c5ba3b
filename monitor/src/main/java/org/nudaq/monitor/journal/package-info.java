/**
 * The journal's record layout ({@code JournalRecordLayout}): the on-disk contract between the daemon, which
 * writes and reads its journal, and the simulator, which serves a recorded one. Constants only, no Chronicle
 * and no thread: the modules that hold a Chronicle Queue use it on their own threads.
 */
package org.nudaq.monitor.journal;
