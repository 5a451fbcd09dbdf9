package io.proxywatch.tail;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Joins a Go panic or goroutine dump to the line that started it, so one crash is one record, not fifty.
 * A trace opens on a line matching the start pattern and takes every following line until one that looks like
 * the start of an ordinary record (or until the file goes idle and the tailer flushes it).
 */
final class MultilineJoiner {
    private final Pattern start;
    private final Pattern recordStart;
    private final int maxBytes;

    private StringBuilder group;
    private long groupOffset;
    private boolean groupTruncated;

    MultilineJoiner(Pattern start, Pattern recordStart, int maxBytes) {
        this.start = start;
        this.recordStart = recordStart;
        this.maxBytes = maxBytes;
    }

    void accept(RawLine line, List<RawLine> out) {
        String text = line.text();
        if (group != null) {
            if (!recordStart.matcher(text).find()) {
                append(line);
                return;
            }
            out.add(close());
        }
        if (text.isBlank()) {
            return; // an empty line outside a trace carries nothing to keep
        }
        // JSON lines never open a trace: skip the regex for the common case
        if (start != null && text.charAt(0) != '{' && start.matcher(text).find()) {
            group = new StringBuilder(text);
            groupOffset = line.offset();
            groupTruncated = line.truncated();
            return;
        }
        out.add(line);
    }

    /** Closes an open trace (idle file); null when none is open. */
    RawLine flush() {
        return group == null ? null : close();
    }

    boolean hasOpenTrace() {
        return group != null;
    }

    /** Where the open trace starts: the checkpoint must not move past it. */
    long openTraceOffset() {
        return groupOffset;
    }

    void reset() {
        group = null;
    }

    private void append(RawLine line) {
        if (groupTruncated || group.length() + 1 + line.text().length() > maxBytes) {
            groupTruncated = true;
            return;
        }
        group.append('\n').append(line.text());
    }

    private RawLine close() {
        RawLine joined = new RawLine(group.toString(), groupOffset, groupTruncated);
        group = null;
        return joined;
    }
}
