package io.proxywatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the level files proxywatch writes ({@code info.log}, {@code warn.log}, {@code error.log}, and rolled
 * {@code info-2026-11-25.1.log} ones) incrementally: each call to {@link #refresh()} parses only the complete
 * lines appended since the last call, so it is cheap enough to poll while the jar runs. Files are followed by
 * file key, so a roll (rename) of a level file does not make its lines count twice.
 *
 * <p>Counts, per trace id {@code t-NNNNNN} written by {@link LogWriter}, how often its record was seen, and checks
 * each record: valid JSON, in the file its level belongs to, with the level written, with {@code source.file}
 * and {@code source.offset}.
 */
final class LevelFileCounter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_BLOCK = 4 << 20;
    private static final int EXAMPLES = 5;

    private final Path dir;
    private final long total;
    private final int[] seen;
    private final long[] observedOffset;
    private final Map<Object, Long> positions = new HashMap<>();

    private long lines;
    private long distinct;
    private long malformed;
    private long foreign;
    private long misfiled;
    private long wrongLevel;
    private long missingSource;
    private long inconsistentOffset;
    private final Map<String, Long> perFile = new HashMap<>();
    private final Set<String> sourceFiles = new TreeSet<>();
    private final List<String> examples = new ArrayList<>();

    LevelFileCounter(Path dir, long total) {
        this.dir = dir;
        this.total = total;
        this.seen = new int[Math.toIntExact(total + 1)];
        this.observedOffset = new long[Math.toIntExact(total + 1)];
        Arrays.fill(observedOffset, -1);
    }

    /** Parses what was appended since the last call; returns this, for use in a condition. */
    synchronized LevelFileCounter refresh() throws IOException {
        if (!Files.isDirectory(dir)) {
            return this;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
            ds.forEach(files::add);
        }
        for (Path p : files) {
            String level = levelOf(p.getFileName().toString());
            if (level == null) {
                continue;
            }
            try {
                readNew(p, level);
            } catch (NoSuchFileException e) {
                // rolled away between the listing and the read: the next refresh finds it under its new name
            }
        }
        return this;
    }

    /** info.log and info-2026-11-25.1.log are both "info". */
    private static String levelOf(String name) {
        for (String l : List.of("info", "warn", "error", "fatal")) {
            if (name.equals(l + ".log") || name.startsWith(l + "-")) {
                return l;
            }
        }
        return null;
    }

    private void readNew(Path p, String file) throws IOException {
        Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        if (key == null) {
            key = p.toAbsolutePath().toString();
        }
        long pos = positions.getOrDefault(key, 0L);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < pos) {
                throw new AssertionError(p + " shrank from " + pos + " to " + size + " bytes: a level file must only grow");
            }
            while (pos < size) {
                int len = (int) Math.min(READ_BLOCK, size - pos);
                ByteBuffer buf = ByteBuffer.allocate(len);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        break;
                    }
                }
                byte[] b = buf.array();
                int n = buf.position();
                int lineStart = 0;
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') {
                        record(file, p, b, lineStart, i - lineStart);
                        lineStart = i + 1;
                    }
                }
                if (lineStart == 0) {
                    if (n == READ_BLOCK) {
                        throw new AssertionError(p + ": a line longer than " + READ_BLOCK + " bytes at offset " + pos);
                    }
                    break; // only a partial line so far: wait for its newline
                }
                pos += lineStart;
            }
        }
        positions.put(key, pos);
    }

    private void record(String file, Path p, byte[] b, int off, int len) {
        lines++;
        perFile.merge(file, 1L, Long::sum);
        JsonNode r;
        try {
            r = JSON.readTree(b, off, len);
        } catch (IOException e) {
            malformed++;
            example("malformed line in " + p.getFileName() + ": " + new String(b, off, Math.min(len, 300),
                    StandardCharsets.UTF_8));
            return;
        }
        if (r == null || !r.isObject()) {
            malformed++;
            example("not a JSON object in " + p.getFileName() + ": " + new String(b, off, Math.min(len, 300),
                    StandardCharsets.UTF_8));
            return;
        }
        String level = r.path("level").asText("");
        if (!belongsIn(level, file)) {
            misfiled++;
            example("level " + level + " in " + p.getFileName() + ": " + r);
        }
        JsonNode source = r.path("source");
        boolean hasSource = source.path("file").isTextual() && !source.path("file").asText().isEmpty()
                && source.path("offset").isIntegralNumber();
        if (!hasSource) {
            missingSource++;
            example("no source.file/source.offset: " + r);
        } else {
            sourceFiles.add(source.path("file").asText());
        }
        long seq = LogWriter.seqOf(r.path("trace_id").asText(null));
        if (seq < 1 || seq > total) {
            foreign++;
            example("record with a trace id the writer did not write: " + r);
            return;
        }
        if (!LogWriter.level(seq).equals(level)) {
            wrongLevel++;
            example("trace " + LogWriter.traceId(seq) + " was written as " + LogWriter.level(seq) + " but has level "
                    + level + ": " + r);
        }
        if (hasSource) {
            long offset = source.path("offset").asLong();
            int i = (int) seq;
            if (observedOffset[i] < 0) {
                observedOffset[i] = offset;
            } else if (observedOffset[i] != offset) {
                inconsistentOffset++;
                example("trace " + LogWriter.traceId(seq) + " seen at offsets " + observedOffset[i] + " and " + offset);
            }
        }
        if (seen[(int) seq]++ == 0) {
            distinct++;
        }
    }

    private static boolean belongsIn(String level, String file) {
        return switch (level) {
            case "INFO", "DEBUG", "TRACE" -> file.equals("info");
            case "WARN" -> file.equals("warn");
            case "ERROR" -> file.equals("error");
            case "FATAL", "PANIC" -> file.equals("error") || file.equals("fatal");
            default -> false;
        };
    }

    private void example(String text) {
        if (examples.size() < 20) {
            examples.add(text.length() > 600 ? text.substring(0, 600) + "…" : text);
        }
    }

    synchronized long lines() {
        return lines;
    }

    synchronized long distinct() {
        return distinct;
    }

    /** Records beyond the first for each trace id: how many lines were written twice (or more). */
    synchronized long duplicates() {
        long d = 0;
        for (int i = 1; i <= total; i++) {
            if (seen[i] > 1) {
                d += seen[i] - 1;
            }
        }
        return d;
    }

    synchronized long missingCount() {
        return total - distinct;
    }

    /** The first {@code limit} trace ids not found, as runs: t-050001..t-050999. */
    synchronized List<String> missingRuns(int limit) {
        return runs(limit, c -> c == 0);
    }

    /** The first {@code limit} runs of trace ids found more than once, with their multiplicity. */
    synchronized List<String> duplicateRuns(int limit) {
        return runs(limit, c -> c > 1);
    }

    /**
     * Duplicated trace ids grouped into spans: runs of duplicates no more than {@code maxGap} ids apart are one
     * span (a chunk re-read after a kill is contiguous in the file, but those of its records whose level file had
     * not been appended yet when it was killed appear once, leaving small gaps). Each span is {from, to, duplicates}.
     */
    synchronized List<long[]> duplicateSpans(int maxGap) {
        List<long[]> out = new ArrayList<>();
        long[] cur = null;
        for (int i = 1; i <= total; i++) {
            if (seen[i] <= 1) {
                continue;
            }
            if (cur == null || i - cur[1] > maxGap) {
                cur = new long[] {i, i, 0};
                out.add(cur);
            }
            cur[1] = i;
            cur[2] += seen[i] - 1;
        }
        return out;
    }

    static String describeSpans(List<long[]> spans) {
        List<String> out = new ArrayList<>();
        for (long[] s : spans) {
            out.add(LogWriter.traceId(s[0]) + ".." + LogWriter.traceId(s[1]) + " (" + (s[1] - s[0] + 1) + " ids, "
                    + s[2] + " duplicates)");
        }
        return out.toString();
    }

    private List<String> runs(int limit, java.util.function.IntPredicate pick) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (i <= total && out.size() < limit) {
            if (!pick.test(seen[i])) {
                i++;
                continue;
            }
            int from = i;
            while (i <= total && pick.test(seen[i])) {
                i++;
            }
            int to = i - 1;
            out.add(LogWriter.traceId(from) + (to > from ? ".." + LogWriter.traceId(to) : "") + " (" + (to - from + 1)
                    + " lines" + (seen[from] > 1 ? ", x" + seen[from] : "") + ")");
        }
        return out;
    }

    /** Trace ids whose source.offset is not where the writer put the line (checked on the first record seen). */
    synchronized List<String> offsetMismatches(LogWriter writer, int limit, long[] countOut) {
        List<String> out = new ArrayList<>();
        long count = 0;
        for (int i = 1; i <= total; i++) {
            if (observedOffset[i] >= 0 && observedOffset[i] != writer.offsetOf(i)) {
                count++;
                if (out.size() < limit) {
                    out.add(LogWriter.traceId(i) + ": source.offset " + observedOffset[i] + ", written at "
                            + writer.offsetOf(i));
                }
            }
        }
        countOut[0] = count;
        return out;
    }

    synchronized long malformed() {
        return malformed;
    }

    synchronized long foreign() {
        return foreign;
    }

    synchronized long misfiled() {
        return misfiled;
    }

    synchronized long wrongLevel() {
        return wrongLevel;
    }

    synchronized long missingSource() {
        return missingSource;
    }

    synchronized long inconsistentOffset() {
        return inconsistentOffset;
    }

    synchronized Map<String, Long> perFile() {
        return new HashMap<>(perFile);
    }

    synchronized Set<String> sourceFiles() {
        return new TreeSet<>(sourceFiles);
    }

    synchronized List<String> examples() {
        return List.copyOf(examples);
    }
}
