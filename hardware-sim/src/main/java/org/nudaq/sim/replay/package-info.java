/**
 * {@code ./nudaq sim --replay DIR}: serving a recorded daemon journal over TCP frame for frame, read by one
 * {@code replay-board-N} thread per board into a bounded queue and sent on the server's event loop. Reads the journal
 * through its documented layout ({@code monitor.journal.JournalRecordLayout}, shared with the daemon), without
 * any of the daemon's code.
 */
package org.nudaq.sim.replay;
