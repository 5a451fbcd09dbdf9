package io.proxywatch.ship;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A batch's request body, written to the connection from its records' JSON through one small buffer
 * ({@link #GATHER_BYTES}): the JSON envelope ({@code head}, the records between commas, {@code ]}}) or NDJSON (each
 * record and a newline). Building the whole body as one array first (~350 KB a batch of 1,000) was 14% of all a
 * bulk run allocated. Repeatable, with its exact length up front, so a redelivery writes it again and the request
 * has a Content-Length.
 */
final class BatchBody extends AbstractHttpEntity {
    /** Bytes gathered before each write to the connection. */
    static final int GATHER_BYTES = 32 * 1024;
    private static final ContentType JSON = ContentType.create("application/json");
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final byte[] head;          // null for NDJSON
    private final List<byte[]> records;
    private final long length;

    private BatchBody(ContentType type, byte[] head, List<byte[]> records, long length) {
        super(type, null);
        this.head = head;
        this.records = records;
        this.length = length;
    }

    /** The envelope {@code head + record,record,... + "]}"}; {@code recordBytes} as {@link Batch#bytes()} counts. */
    static BatchBody envelope(byte[] head, List<byte[]> records, long recordBytes) {
        // Batch.bytes() counts a newline after each record; here commas between them and "]}" at the end
        long commas = Math.max(0, records.size() - 1);
        return new BatchBody(JSON, head, records,
                head.length + recordBytes - records.size() + commas + 2);
    }

    /** One record a line; {@code recordBytes} as {@link Batch#bytes()} counts (a newline after each). */
    static BatchBody ndjson(List<byte[]> records, long recordBytes) {
        return new BatchBody(NDJSON, null, records, recordBytes);
    }

    /**
     * Writes the body in pieces of {@link #GATHER_BYTES}: the connection's stream is HttpClient code, which the
     * compiler directives leave to C1, and two calls into it per record (the JSON, then a comma) took more of the
     * sending threads' time than copying the bytes once more here.
     */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        Gather g = new Gather(new byte[(int) Math.min(length, GATHER_BYTES)], out);
        writeParts(g);
        g.flush();
    }

    /**
     * The whole body in one array of its exact size, written once (a ByteArrayOutputStream would copy it again on
     * the way out): for a gzip request, which camel-http compresses from an array.
     */
    byte[] toByteArray() {
        byte[] all = new byte[Math.toIntExact(length)];
        try {
            writeParts(new Gather(all, null)); // the array holds it all: never flushed
        } catch (IOException e) {
            throw new IllegalStateException(e); // writing into an array does not fail
        }
        return all;
    }

    private void writeParts(Gather g) throws IOException {
        if (head == null) {
            for (byte[] r : records) {
                g.put(r);
                g.put('\n');
            }
            return;
        }
        g.put(head);
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                g.put(',');
            }
            g.put(records.get(i));
        }
        g.put(']');
        g.put('}');
    }

    /** Copies the parts into one buffer, written out whenever the next part would not fit. */
    private static final class Gather {
        private final byte[] buf;
        private final OutputStream out;
        private int at;

        Gather(byte[] buf, OutputStream out) {
            this.buf = buf;
            this.out = out;
        }

        void put(byte[] part) throws IOException {
            if (part.length > buf.length - at) {
                flush();
                if (part.length > buf.length) {
                    out.write(part); // a record larger than the buffer goes as it is
                    return;
                }
            }
            System.arraycopy(part, 0, buf, at, part.length);
            at += part.length;
        }

        void put(char c) throws IOException {
            if (at == buf.length) {
                flush();
            }
            buf[at++] = (byte) c;
        }

        void flush() throws IOException {
            if (at > 0) {
                out.write(buf, 0, at);
                at = 0;
            }
        }
    }

    @Override
    public InputStream getContent() {
        return new ByteArrayInputStream(toByteArray());
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
    }
}
