package io.proxywatch.ship;

import io.proxywatch.record.LogRecord;
import io.proxywatch.record.RecordJson;
import io.proxywatch.tail.ChunkAck;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a chunk's records and cuts them into slices no larger than a batch may be, so the aggregator can
 * close a batch exactly at max-records / max-bytes. Each slice retains a share of the chunk's ack: the chunk
 * is safe only when every batch holding a part of it is.
 */
public final class BatchSlicer {
    private final int maxRecords;
    private final long maxBytes;

    public BatchSlicer(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    public List<ShipSlice> slices(List<LogRecord> records, @ExchangeProperty(ChunkAck.PROPERTY) ChunkAck ack) {
        RecordJson.renderAll(records); // rendered already when the level files are JSON
        List<ShipSlice> out = new ArrayList<>();
        List<byte[]> cur = new ArrayList<>(Math.min(maxRecords, records.size()));
        long curBytes = 0;
        String service = records.isEmpty() ? null : records.get(0).getService();
        for (int i = 0; i < records.size(); i++) {
            byte[] json = records.get(i).json();
            if (!cur.isEmpty() && (cur.size() >= maxRecords || curBytes + json.length + 1 > maxBytes)) {
                out.add(slice(cur, curBytes, ack, service));
                cur = new ArrayList<>(Math.min(maxRecords, records.size() - i));
                curBytes = 0;
            }
            cur.add(json);
            curBytes += json.length + 1;
        }
        if (!cur.isEmpty()) {
            out.add(slice(cur, curBytes, ack, service));
        }
        return out;
    }

    private static ShipSlice slice(List<byte[]> records, long bytes, ChunkAck ack, String service) {
        if (ack != null) {
            ack.retain();
        }
        return new ShipSlice(records, bytes, ack, service);
    }
}
