package io.proxywatch.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An append-only file ({@code info.log}) that rolls when it passes a size or when the day changes: the full
 * file is renamed {@code info-2026-11-25.3.log} and a new {@code info.log} begun; only the newest
 * {@code maxRolled} rolled files are kept.
 */
public final class RollingFile {
    private static final Logger LOG = LoggerFactory.getLogger(RollingFile.class);
    private static final int GATHER_BYTES = 256 * 1024;
    private final Path dir;
    private final String base;
    private final long maxBytes;
    private final int maxRolled;
    private final Clock clock;
    private final Pattern rolledName;

    private FileChannel channel;
    private ByteBuffer gather; // appendLines' buffer, made on its first call
    private long size;
    private LocalDate day;

    public RollingFile(Path dir, String base, long maxBytes, int maxRolled, Clock clock) throws IOException {
        this.dir = dir;
        this.base = base;
        this.maxBytes = maxBytes;
        this.maxRolled = maxRolled;
        this.clock = clock;
        this.rolledName = Pattern.compile(Pattern.quote(base) + "-(\\d{4}-\\d{2}-\\d{2})\\.(\\d+)\\.log");
        Files.createDirectories(dir);
        Path current = current();
        if (Files.exists(current) && Files.size(current) > 0) {
            cutTornLine(current);
            LocalDate written = LocalDate.ofInstant(Files.getLastModifiedTime(current).toInstant(), zone());
            if (!written.equals(today())) {
                roll(written);
            }
        }
        open();
    }

    /**
     * A process killed in the middle of an append leaves the file ending in part of a line: cut it back to the
     * last whole line, or the next append would glue a record onto the fragment. Nothing is lost: an append that
     * did not finish was part of a chunk whose checkpoint did not move, so the chunk is read and written again.
     *
     * @return the bytes cut (0 when the file ends in a newline)
     */
    static long cutTornLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size();
            long keep = afterLastNewline(ch, end);
            if (keep == end) {
                return 0;
            }
            ch.truncate(keep);
            ch.force(false);
            LOG.warn("{} ended in part of a line ({} bytes left by a process stopped in the middle of a write): cut "
                    + "back to its last whole line; that chunk is written again", file, end - keep);
            return end - keep;
        }
    }

    /** The offset just after the last newline before {@code end}, read backwards a block at a time; 0 if none. */
    private static long afterLastNewline(FileChannel ch, long end) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
        for (long from = end; from > 0; ) {
            int n = (int) Math.min(block.capacity(), from);
            from -= n;
            block.clear().limit(n);
            while (block.hasRemaining() && ch.read(block, from + block.position()) >= 0) {
                // fills the block
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return from + i + 1;
                }
            }
        }
        return 0;
    }

    /** The rolling file at {@code file}: {@code alerts.log} rolls to {@code alerts-2026-11-25.1.log} beside it. */
    public static RollingFile at(Path file, long maxBytes, int maxRolled, Clock clock) throws IOException {
        String name = file.getFileName().toString();
        return new RollingFile(file.getParent(), name.endsWith(".log") ? name.substring(0, name.length() - 4) : name,
                maxBytes, maxRolled, clock);
    }

    public Path current() {
        return dir.resolve(base + ".log");
    }

    public synchronized void append(byte[] bytes) throws IOException {
        rollIfDue(bytes.length);
        writeFully(ByteBuffer.wrap(bytes));
    }

    /** Rolls before an append of {@code bytes} that would pass the size limit, or on the first one of a new day. */
    private void rollIfDue(long bytes) throws IOException {
        if (!today().equals(day) || (size > 0 && size + bytes > maxBytes)) {
            channel.close();
            roll(day);
            open();
        }
    }

    /**
     * Appends each line and a newline, as {@link #append} would their concatenation, without building it: the lines
     * are gathered into a direct buffer of this file's (the one the JDK would copy a heap array into anyway) and
     * written from there, a buffer at a time. The level files write a chunk's records this way; joining them first
     * was an array of ~400 KB per chunk and file.
     */
    public synchronized void appendLines(byte[][] lines) throws IOException {
        long total = 0;
        for (byte[] line : lines) {
            total += line.length + 1;
        }
        rollIfDue(total);
        ByteBuffer buf = gather;
        if (buf == null) {
            buf = gather = ByteBuffer.allocateDirect(GATHER_BYTES);
        }
        buf.clear();
        long before = size;
        try {
            for (byte[] line : lines) {
                if (line.length + 1 > buf.remaining()) {
                    drain(buf);
                    if (line.length + 1 > buf.capacity()) { // a line longer than the buffer: straight from its array
                        writeFully(ByteBuffer.wrap(line));
                        buf.put((byte) '\n');
                        continue;
                    }
                }
                buf.put(line).put((byte) '\n');
            }
            drain(buf);
        } catch (IOException e) {
            // a full disk takes part of the lines: cut them off, as a start does after a kill, or the chunk's
            // retry glues its first record onto the fragment (a line that is not JSON) and repeats the rest
            try {
                channel.truncate(before);
                size = before;
            } catch (IOException cutting) {
                e.addSuppressed(cutting);
            }
            throw e;
        }
    }

    /** Writes what {@code buf} holds and clears it. */
    private void drain(ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(buf);
        buf.clear();
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            size += writes.write(channel, buf);
        }
    }

    /** How bytes reach the file: a test puts a full disk here. */
    interface Writes {
        int write(FileChannel channel, ByteBuffer buf) throws IOException;
    }

    Writes writes = FileChannel::write;

    public synchronized void force() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.force(false);
        }
    }

    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private void open() throws IOException {
        channel = FileChannel.open(current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
        day = today();
    }

    private void roll(LocalDate contentDay) throws IOException {
        Path current = current();
        if (!Files.exists(current) || Files.size(current) == 0) {
            return;
        }
        int next = 1;
        for (Rolled r : rolled()) {
            if (r.day.equals(contentDay)) {
                next = Math.max(next, r.index + 1);
            }
        }
        Files.move(current, dir.resolve(base + "-" + contentDay + "." + next + ".log"));
        List<Rolled> all = rolled();
        for (int i = 0; i < all.size() - maxRolled; i++) {
            Files.deleteIfExists(all.get(i).path);
        }
    }

    private record Rolled(Path path, LocalDate day, int index) {
    }

    /** Rolled files, oldest first. */
    private List<Rolled> rolled() throws IOException {
        List<Rolled> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, base + "-*.log")) {
            for (Path p : ds) {
                Matcher m = rolledName.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Rolled(p, LocalDate.parse(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
        }
        out.sort(Comparator.comparing(Rolled::day).thenComparingInt(Rolled::index));
        return out;
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }
}
