/**
 * The plant's reactor timeline: the CSV file of timestamped state and power transitions (README
 * "Reactor timeline"), read whole for a CoMPASS replay or export ({@code ReactorTimelineFile}, on the
 * command's thread), or followed as it grows for a live daemon ({@code ReactorTimelineFollower}, on its
 * own scheduled thread, handing each new transition to the pipeline thread as a journaled command).
 */
package org.nudaq.server.reactor;
