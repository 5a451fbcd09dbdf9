package io.proxywatch.ship;

import io.proxywatch.tail.ChunkAck;

import java.util.List;

/**
 * Part of one chunk's records, rendered, small enough to join a batch; holds one share of the chunk's ack.
 * {@code service} is the first record's, for the envelope when none is configured.
 */
public record ShipSlice(List<byte[]> records, long bytes, ChunkAck ack, String service) {
}
