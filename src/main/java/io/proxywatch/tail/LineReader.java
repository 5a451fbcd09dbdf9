package io.proxywatch.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one file's bytes into lines, remembering the byte offset where each starts.
 *
 * <p>Works on bytes, not chars, so offsets are exact and a half-written line costs nothing until its newline
 * arrives. Newlines are found in the charset's own encoding (one byte for UTF-8, GBK and other ASCII-compatible
 * charsets, two aligned bytes for UTF-16); a BOM at the start of the file overrides the configured charset.
 * Invalid byte sequences decode to U+FFFD. A line longer than the maximum keeps its first {@code maxLineBytes}
 * bytes and the rest is skipped up to its newline, so memory stays bounded whatever the file holds.
 */
final class LineReader {
    private static final int READ_SIZE = 64 * 1024;

    private final FileChannel channel;
    private final int maxLineBytes;
    private Charset charset;
    private byte[] newline;
    private byte[] carriageReturn;
    private int unit;
    private long dataStart;          // offset after the BOM: UTF-16 newlines are aligned to it
    private boolean bomChecked;

    private byte[] buf = new byte[READ_SIZE];
    private int bufStart;            // first byte not yet part of an emitted line
    private int bufEnd;              // end of valid data in buf
    private int scanFrom;            // where the newline search resumes inside [bufStart, bufEnd)
    private long bufOffset;          // file offset of buf[bufStart]
    private long readPos;            // next file offset to read from the channel
    private long lineStart;          // file offset of the line being assembled
    private byte[] truncatedHead;    // non-null while skipping the tail of an over-long line

    LineReader(FileChannel channel, Charset charset, int maxLineBytes, long startOffset) {
        this.channel = channel;
        this.maxLineBytes = maxLineBytes;
        useCharset(charset);
        seek(startOffset);
    }

    /** Restart reading at {@code offset}, dropping anything buffered: used for rewinds and truncation. */
    void seek(long offset) {
        bufStart = bufEnd = scanFrom = 0;
        bufOffset = readPos = lineStart = offset;
        truncatedHead = null;
        if (offset == 0) {
            bomChecked = false;
        }
    }

    /** Offset of the first byte not yet handed out as part of a line. */
    long lineStart() {
        return lineStart;
    }

    /** Offset up to which the file has been read into memory. */
    long readPosition() {
        return readPos;
    }

    boolean hasPartialLine() {
        return bufEnd > bufStart || truncatedHead != null;
    }

    Charset charset() {
        return charset;
    }

    /**
     * Adds up to {@code max} complete lines to {@code out}, reading from the file as needed, and stops once they
     * take {@code maxBytes} of the file or more (the first line is always taken, however long).
     *
     * @return the number of lines added; fewer than {@code max} means the reader reached the end of the data or
     *         {@code maxBytes}
     */
    int readLines(int max, long maxBytes, List<RawLine> out) throws IOException {
        int added = 0;
        long from = lineStart;
        while (added < max && lineStart - from < maxBytes) {
            if (!bomChecked && !checkBom()) {
                return added;
            }
            int nl = findNewline();
            if (nl >= 0) {
                out.add(takeLine(nl));
                added++;
                continue;
            }
            if (truncatedHead != null) {
                discardBuffered(); // still inside an over-long line: its tail is not kept
            } else if (bufEnd - bufStart >= maxLineBytes) {
                startSkipping();
            }
            if (!fill()) {
                return added;
            }
        }
        return added;
    }

    /** Hands out whatever is buffered after the last newline as a line of its own (idle timeout). */
    RawLine flushPartial() {
        if (!hasPartialLine()) {
            return null;
        }
        RawLine line;
        if (truncatedHead != null) {
            line = new RawLine(decode(truncatedHead, 0, truncatedHead.length), lineStart, true);
        } else {
            int len = stripCarriageReturn(bufStart, bufEnd - bufStart);
            line = new RawLine(decode(buf, bufStart, len), lineStart, false);
        }
        bufOffset += bufEnd - bufStart;
        bufStart = bufEnd = scanFrom = 0;
        lineStart = bufOffset;
        truncatedHead = null;
        return line;
    }

    private RawLine takeLine(int nl) {
        int end = nl + unit;
        RawLine line;
        if (truncatedHead != null) {
            line = new RawLine(decode(truncatedHead, 0, truncatedHead.length), lineStart, true);
            truncatedHead = null;
        } else {
            int len = stripCarriageReturn(bufStart, nl - bufStart);
            boolean cut = len > maxLineBytes;
            line = new RawLine(decode(buf, bufStart, cut ? cutLength(buf, bufStart, maxLineBytes) : len),
                    lineStart, cut);
        }
        bufOffset += end - bufStart;
        bufStart = scanFrom = end;
        lineStart = bufOffset;
        return line;
    }

    private void startSkipping() {
        truncatedHead = Arrays.copyOfRange(buf, bufStart, bufStart + cutLength(buf, bufStart, maxLineBytes));
        discardBuffered();
    }

    private void discardBuffered() {
        bufOffset += bufEnd - bufStart;
        bufStart = bufEnd = scanFrom = 0;
    }

    /** Reads more bytes; false at end of data. */
    private boolean fill() throws IOException {
        if (bufStart > 0 && (bufEnd == buf.length || bufStart == bufEnd)) {
            System.arraycopy(buf, bufStart, buf, 0, bufEnd - bufStart);
            bufEnd -= bufStart;
            scanFrom -= bufStart;
            bufStart = 0;
        }
        if (bufEnd == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxLineBytes + READ_SIZE));
        }
        int n = channel.read(ByteBuffer.wrap(buf, bufEnd, buf.length - bufEnd), readPos);
        if (n <= 0) {
            return false;
        }
        bufEnd += n;
        readPos += n;
        return true;
    }

    private int findNewline() {
        if (unit == 1) {
            for (int i = scanFrom; i < bufEnd; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            scanFrom = bufEnd;
            return -1;
        }
        // keep UTF-16/32 newlines aligned to code units, counted from the data start
        int misalign = (int) Math.floorMod(bufOffset + (scanFrom - bufStart) - dataStart, (long) unit);
        int i = misalign == 0 ? scanFrom : scanFrom + unit - misalign;
        for (; i + unit <= bufEnd; i += unit) {
            if (regionEquals(i, newline)) {
                return i;
            }
        }
        scanFrom = Math.max(scanFrom, i);
        return -1;
    }

    private int stripCarriageReturn(int from, int len) {
        if (len >= unit && regionEquals(from + len - unit, carriageReturn)) {
            return len - unit;
        }
        return len;
    }

    private boolean regionEquals(int at, byte[] pattern) {
        for (int k = 0; k < pattern.length; k++) {
            if (buf[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    /** Cut to at most {@code max} bytes without splitting a UTF-8 sequence or a UTF-16 code unit. */
    private int cutLength(byte[] b, int from, int max) {
        int len = max - (max % unit);
        if (charset == StandardCharsets.UTF_8) {
            while (len > 0 && from + len < b.length && (b[from + len] & 0xC0) == 0x80) {
                len--;
            }
        }
        return len;
    }

    private String decode(byte[] b, int from, int len) {
        return new String(b, from, len, charset); // String's decoder replaces malformed input with U+FFFD
    }

    /** Looks for a byte-order mark at the start of the file; false while too few bytes exist to tell. */
    private boolean checkBom() throws IOException {
        long size = channel.size();
        byte[] head = new byte[(int) Math.min(3, size)];
        channel.read(ByteBuffer.wrap(head), 0);
        int b0 = head.length > 0 ? head[0] & 0xFF : -1;
        int b1 = head.length > 1 ? head[1] & 0xFF : -1;
        int b2 = head.length > 2 ? head[2] & 0xFF : -1;
        int bomLength = 0;
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            useCharset(StandardCharsets.UTF_8);
            bomLength = 3;
        } else if (b0 == 0xFF && b1 == 0xFE) {
            useCharset(StandardCharsets.UTF_16LE);
            bomLength = 2;
        } else if (b0 == 0xFE && b1 == 0xFF) {
            useCharset(StandardCharsets.UTF_16BE);
            bomLength = 2;
        } else if ((b0 == 0xEF && (b1 == -1 || (b1 == 0xBB && b2 == -1))) || ((b0 == 0xFF || b0 == 0xFE) && b1 == -1)
                || b0 == -1) {
            return false; // could still become a BOM
        }
        bomChecked = true;
        dataStart = bomLength;
        if (lineStart < bomLength) {
            seek(bomLength);
            bomChecked = true;
        }
        return true;
    }

    private void useCharset(Charset cs) {
        // the plain UTF-16/32 encoders write a BOM of their own; big-endian is their default without one
        if (cs.name().equals("UTF-16")) {
            cs = StandardCharsets.UTF_16BE;
        } else if (cs.name().equals("UTF-32")) {
            cs = Charset.forName("UTF-32BE");
        }
        this.charset = cs;
        this.newline = "\n".getBytes(cs);
        this.carriageReturn = "\r".getBytes(cs);
        this.unit = newline.length;
    }
}
