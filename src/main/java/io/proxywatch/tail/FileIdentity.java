package io.proxywatch.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/**
 * What makes a file the same file after a rename: the OS file key (device + inode; Windows has none) and a
 * fingerprint of its first bytes. The fingerprint also tells a truncated-and-rewritten file, or a recycled
 * inode, from the file we knew.
 *
 * @param fileKey  the OS key as text, or null where the OS gives none
 * @param fpLength how many leading bytes the fingerprint covers (grows with the file up to {@link #FP_MAX})
 * @param fpHash   CRC32C of those bytes
 */
public record FileIdentity(String fileKey, int fpLength, long fpHash) {

    /** Long enough to hold a timestamp or two, so files from the same logger rarely share a fingerprint. */
    public static final int FP_MAX = 512;

    /** False in tests, to take the path Windows takes: its file systems give no key. */
    static volatile boolean osKeys = true;

    public static String fileKeyOf(Path path) throws IOException {
        if (!osKeys) {
            return null;
        }
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return key == null ? null : key.toString();
    }

    public static FileIdentity read(Path path, FileChannel channel) throws IOException {
        return new FileIdentity(fileKeyOf(path), 0, 0).refreshed(channel);
    }

    /** Same key, fingerprint recomputed over as many leading bytes as the file now has (up to FP_MAX). */
    public FileIdentity refreshed(FileChannel channel) throws IOException {
        int length = (int) Math.min(FP_MAX, channel.size());
        if (length == fpLength) {
            return this;
        }
        return new FileIdentity(fileKey, length, hash(channel, length));
    }

    public boolean isComplete() {
        return fpLength == FP_MAX;
    }

    /**
     * Whether the file behind {@code channel} (with OS key {@code otherKey}) is the one this identity was taken
     * from: keys agree where both exist and its first {@code fpLength} bytes still hash the same. Taken from an
     * empty file without a key (Windows), it matches an empty file: nothing tells two empty files apart, and until
     * one has a byte none can be missed. It did not match at all, so on Windows every rescan took a followed empty
     * log for rotated and followed it again: its lines were read twice, and a checkpoint was added each second.
     */
    public boolean matches(String otherKey, FileChannel channel) throws IOException {
        if (fileKey != null && otherKey != null && !fileKey.equals(otherKey)) {
            return false;
        }
        if (channel.size() < fpLength) {
            return false;
        }
        if (fpLength == 0) {
            return fileKey != null ? fileKey.equals(otherKey) : channel.size() == 0;
        }
        return hash(channel, fpLength) == fpHash;
    }

    static long hash(FileChannel channel, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buf.flip();
        CRC32C crc = new CRC32C();
        crc.update(buf);
        return crc.getValue();
    }
}
