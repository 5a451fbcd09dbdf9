package io.proxywatch.record;

import io.proxywatch.detect.Finding;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log line, whatever format it came in, in the shape every later stage reads.
 * Field names mirror the JSON contract written by {@link RecordJson}: other tools script against them.
 * Mutable on purpose: parsers fill it in place and later stages (detection) add to it without copying.
 */
public final class LogRecord {
    private Instant timestamp;
    private String level = "INFO";
    private String service;
    private String message;
    private String traceId;
    private Map<String, Object> fields; // made on first use: most access lines have no other fields

    // access-log fields; null when the line was not an access line
    private String clientIp;
    private String method;
    private String path;
    private String query;
    private Integer status;
    private double latencyMs = Double.NaN; // NaN: none; a primitive, so reading it is not a load of another object
    private long bytes;
    private boolean hasBytes; // with bytes, a primitive: a boxed Long was an allocation per access line
    private String userAgent;
    private String referer; // not written by itself: the format keeps it where it had it
    private boolean refererSet; // a parser said where its format keeps it, so null is "none"

    private String sourceFile;
    private long sourceOffset;

    private Finding threat;

    private boolean parseError;
    private boolean truncated;
    private boolean replayed;
    private String format;
    private String raw;
    private byte[] json;
    // TextHash of the client address and the path, worked out on first use by whichever stage counts by them
    // first (rate windows, statistics) and then shared; 0 until then
    private long clientIpHash;
    private long pathHash;

    public Instant getTimestamp() { return timestamp; }
    public void setTimestamp(Instant timestamp) { this.timestamp = timestamp; }
    public String getLevel() { return level; }
    public void setLevel(String level) { this.level = level; }
    public String getService() { return service; }
    public void setService(String service) { this.service = service; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getTraceId() { return traceId; }
    public void setTraceId(String traceId) { this.traceId = traceId; }
    /**
     * Everything else the line carried, in its order: String, Number, Boolean or a Jackson JsonNode for nested
     * values. A map to add to, made here if the record had none: call it on the parsing thread only, and read
     * elsewhere after {@link #hasFields()}.
     */
    public Map<String, Object> getFields() {
        if (fields == null) {
            fields = new LinkedHashMap<>();
        }
        return fields;
    }

    /** Whether the record has fields besides the ones it names, without making a map for a record that has none. */
    public boolean hasFields() { return fields != null && !fields.isEmpty(); }

    public String getClientIp() { return clientIp; }
    public void setClientIp(String clientIp) { this.clientIp = clientIp; this.clientIpHash = 0; }
    public String getMethod() { return method; }
    public void setMethod(String method) { this.method = method; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; this.pathHash = 0; }

    /** {@link TextHash} of the client address (0 when there is none), worked out once per record. */
    public long clientIpHash() {
        if (clientIpHash == 0 && clientIp != null) {
            clientIpHash = TextHash.of(clientIp);
        }
        return clientIpHash;
    }

    /** {@link TextHash} of the path (0 when there is none), worked out once per record. */
    public long pathHash() {
        if (pathHash == 0 && path != null) {
            pathHash = TextHash.of(path);
        }
        return pathHash;
    }
    public String getQuery() { return query; }
    public void setQuery(String query) { this.query = query; }
    public Integer getStatus() { return status; }
    public void setStatus(Integer status) { this.status = status; }
    public Double getLatencyMs() { return Double.isNaN(latencyMs) ? null : latencyMs; }
    public void setLatencyMs(Double latencyMs) { this.latencyMs = latencyMs == null ? Double.NaN : latencyMs; }
    /** As {@link #setLatencyMs(Double)} without boxing; NaN for none. */
    public void setLatencyMs(double latencyMs) { this.latencyMs = latencyMs; }
    /** The latency in milliseconds, NaN when the line had none: {@link #getLatencyMs} without boxing. */
    public double latencyMillis() { return latencyMs; }
    public Long getBytes() { return hasBytes ? bytes : null; }
    public void setBytes(Long bytes) {
        this.hasBytes = bytes != null;
        this.bytes = hasBytes ? bytes : 0;
    }
    public void setBytes(long bytes) {
        this.hasBytes = true;
        this.bytes = bytes;
    }
    /** Whether the line gave a response size; {@link #bytesValue()} is it, without boxing. */
    public boolean hasBytes() { return hasBytes; }
    public long bytesValue() { return bytes; }
    public String getUserAgent() { return userAgent; }
    public void setUserAgent(String userAgent) { this.userAgent = userAgent; }
    /**
     * The request's Referer header, for the detectors: set by the parsers that know where their format keeps it
     * (CLF's field, Caddy's {@code request.headers.Referer}, Traefik's {@code request_Referer}; null when the line
     * has none), else the {@code "referer"} field. Not written to the JSON by itself: the record keeps it where the
     * line had it.
     */
    public String getReferer() {
        if (refererSet) {
            return referer;
        }
        Object v = hasFields() ? fields.get("referer") : null;
        return v == null ? null : v.toString();
    }
    public void setReferer(String referer) {
        this.referer = referer;
        this.refererSet = true;
    }

    public String getSourceFile() { return sourceFile; }
    public void setSourceFile(String sourceFile) { this.sourceFile = sourceFile; }
    public long getSourceOffset() { return sourceOffset; }
    public void setSourceOffset(long sourceOffset) { this.sourceOffset = sourceOffset; }

    /** What detection found in the record, or null; written as {@code "threat"} in the JSON. */
    public Finding getThreat() { return threat; }
    public void setThreat(Finding threat) { this.threat = threat; }

    /** True when no format understood the line; the raw text is then the message. */
    public boolean isParseError() { return parseError; }
    public void setParseError(boolean parseError) { this.parseError = parseError; }
    /** True when the line was longer than the configured maximum and was cut. */
    public boolean isTruncated() { return truncated; }
    public void setTruncated(boolean truncated) { this.truncated = truncated; }
    /**
     * True when the line is read again after a chunk failed downstream: handed on before, so counted by the rate
     * windows and the statistics already; it is checked and shipped again but not counted. Not part of the JSON.
     */
    public boolean isReplayed() { return replayed; }
    public void setReplayed(boolean replayed) { this.replayed = replayed; }
    /** Name of the format the line was parsed as (json, slog, zap, caddy, clf, ...); not part of the JSON. */
    public String getFormat() { return format; }
    public void setFormat(String format) { this.format = format; }
    /** The line as read, kept for the raw-line output option; not part of the JSON. */
    public String getRaw() { return raw; }
    public void setRaw(String raw) { this.raw = raw; }

    /**
     * The record's JSON, rendered once and shared by the level files and the shipper. Stages that change a
     * record (parsing, detection) run before the first stage that renders it.
     */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            j = RecordJson.toBytes(this);
            json = j;
        }
        return j;
    }

    /** {@link #json()}, rendered with the caller's buffer ({@link RecordJson#renderAll}). */
    void json(JsonBuffer buffer) {
        if (json == null) {
            json = RecordJson.toBytes(this, buffer);
        }
    }

    /** An access record is one that carries an HTTP status: detectors and statistics look only at these. */
    public boolean isAccess() { return status != null; }

    /**
     * An access record, or a request cut before its status (a line over the maximum size, cut after the request's
     * method and path): what the detectors check. The statistics count only access records.
     */
    public boolean isRequest() {
        return status != null || truncated && method != null && path != null;
    }
}
