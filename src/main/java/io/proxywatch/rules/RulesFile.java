package io.proxywatch.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The rules in force and where they come from: the operator's file ({@code proxywatch.rules.file}) or the copy
 * packaged in the jar. {@link #reload()} is polled by a timer route; an edit is applied once two polls in a row
 * read the same content, and an edit that does not parse is logged once and the previous rules stay, so a
 * half-saved file never switches detection off.
 */
public final class RulesFile {
    public static final String PACKAGED = "/rules.yaml";
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.rules");

    private final Path file; // null: the packaged rules, which never change
    private final Consumer<Rules> check;
    private volatile Rules current;
    private byte[] lastBytes;
    private byte[] rejectedBytes;
    private byte[] unsettledBytes; // read by the last poll, not yet applied or rejected
    private boolean unreadable;    // the last poll could not read the file (reported once until it can)
    private volatile String lastRejection;

    private RulesFile(Path file, Consumer<Rules> check, Rules rules, byte[] bytes) {
        this.file = file;
        this.check = check;
        this.current = rules;
        this.lastBytes = bytes;
    }

    /** Loads the file, or the packaged rules when {@code file} is null; a bad file is a {@link RulesError}. */
    public static RulesFile load(Path file) {
        return load(file, rules -> { });
    }

    /**
     * As {@link #load(Path)}, with a check of what only the running pipeline knows (e.g. how far back the
     * statistics reach); it throws {@link RulesError} for rules that cannot be used, at start-up and on every edit.
     */
    public static RulesFile load(Path file, Consumer<Rules> check) {
        byte[] bytes = file == null ? packagedBytes() : read(file);
        String source = file == null ? "rules.yaml (packaged)" : file.toString();
        Rules rules = Rules.parse(new String(bytes, StandardCharsets.UTF_8), source);
        check.accept(rules);
        return new RulesFile(file, check, rules, bytes);
    }

    public Rules current() {
        return current;
    }

    /** Why the file's current content is not in force, or null when it is. */
    public String lastRejection() {
        return lastRejection;
    }

    /** Where the rules come from, for the banner. */
    public String source() {
        return file == null ? "packaged rules.yaml" : file.toString();
    }

    /**
     * Re-reads the file; returns true when new rules were put in force. New content is applied when the next poll
     * reads it unchanged: a file cut at a line boundary (an editor or a copy still writing it) is often valid YAML,
     * and applying it at once dropped the rules it had not reached yet, resolving their alerts, until the rest came.
     * A file that is missing or invalid leaves the current rules in force and is reported once per distinct content.
     */
    public synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (!unreadable) {
                LOG.warn("rules file {} cannot be read ({}); the rules in force stay", file, e.toString());
                unreadable = true;
            }
            lastRejection = file + ": cannot be read (" + e + ")";
            rejectedBytes = null;
            unsettledBytes = null;
            return false;
        }
        unreadable = false;
        if (Arrays.equals(bytes, lastBytes)) {
            // back to the content in force (an edit reverted): a later save of a rejected content is news again
            rejectedBytes = null;
            unsettledBytes = null;
            lastRejection = null;
            return false;
        }
        if (Arrays.equals(bytes, rejectedBytes)) {
            return false;
        }
        if (!Arrays.equals(bytes, unsettledBytes)) {
            unsettledBytes = bytes;
            return false;
        }
        unsettledBytes = null;
        try {
            Rules rules = Rules.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
            check.accept(rules);
            current = rules;
            lastBytes = bytes;
            rejectedBytes = null;
            lastRejection = null;
            LOG.info("rules reloaded from {}: {}", file, rules.summary());
            return true;
        } catch (RulesError e) {
            rejectedBytes = bytes;
            lastRejection = e.getMessage();
            LOG.warn("rules edit rejected, the rules in force stay: {}", e.getMessage());
            return false;
        }
    }

    public static byte[] packagedBytes() {
        try (InputStream in = RulesFile.class.getResourceAsStream(PACKAGED)) {
            if (in == null) {
                throw new IllegalStateException("rules.yaml missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RulesError(file.toString(), "cannot be read: " + e.getMessage());
        }
    }
}
