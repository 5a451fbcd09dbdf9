package io.proxywatch.tail;

/**
 * How far one file has been read safely: every line before {@code offset} belongs to an exchange that completed.
 *
 * @param path      where the file was last seen (after a rename the identity, not the path, finds it again)
 * @param identity  the file's identity when the checkpoint was written
 * @param offset    byte offset of the first line not yet safely handed on
 * @param updatedMs wall-clock time of the last change, used to forget files gone for long
 */
public record Checkpoint(String path, FileIdentity identity, long offset, long updatedMs) {
}
