package io.proxywatch.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.detect.Finding;
import io.proxywatch.parse.RecordParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written renderer must write exactly the bytes Jackson's generator wrote ({@link JacksonRecordJson}, the
 * renderer before issue 7): on every line of the corpus and the samples, and on records built to hit every escape,
 * number form, nested value and timestamp edge.
 */
class RecordJsonEquivalenceTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void corpusAndSampleRecordsRenderAsJacksonDid() throws IOException {
        RecordParser parser = new RecordParser("auto", null);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.list(Path.of("src/test/resources/corpus")),
                Files.list(Path.of("src/test/resources/samples")))) {
            s.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".jsonl")).forEach(files::add);
        }
        int n = 0;
        for (Path f : files) {
            long offset = 0;
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                LogRecord r = parser.parse(line, f.toString(), offset);
                offset += line.length() + 1;
                if (n % 7 == 0) {
                    r.setThreat(new Finding("sqli-tautology", "sqli", "high"));
                }
                same(r);
                n++;
            }
        }
        assertThat(n).isGreaterThan(25_000);
    }

    @Test
    void everyCharRendersAsJacksonDid() {
        // each char alone and next to ASCII, in a value, a field name and a nested node
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "a" + (char) c + "b";
            LogRecord r = new LogRecord();
            r.setMessage(String.valueOf((char) c));
            r.setUserAgent(s);
            r.getFields().put(s, s);
            ObjectNode node = NODES.objectNode();
            node.put(s, s);
            r.getFields().put("n", node);
            same(r);
        }
    }

    @Test
    void randomRecordsRenderAsJacksonDid() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            same(random(rnd));
        }
    }

    @Test
    void numbersAndEdgeValuesRenderAsJacksonDid() {
        Object[] values = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, (short) 7,
                (byte) -3, 0.0, -0.0, 1.0, 0.1, 0.001, 1e-3, 2e-3, 1e7, 1.0E23, 1e-7, 123456789.123, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 0.1f,
                Float.NaN, 3.4e38f, new BigInteger("123456789012345678901234567890"), new BigDecimal("1.10"),
                new BigDecimal("1E+5"), new BigDecimal("-0.000001"), true, false, null, NODES.nullNode(),
                NODES.missingNode(), NODES.binaryNode(new byte[] {1, 2, 3}), NODES.numberNode(new BigDecimal("2.50")),
                NODES.arrayNode().add(1).add("x").add(NODES.objectNode()).add(NODES.arrayNode()),
                new java.util.concurrent.atomic.AtomicLong(5), new StringBuilder("sb\"\\")};
        for (Object v : values) {
            LogRecord r = new LogRecord();
            r.getFields().put("v", v);
            r.setLatencyMs(v instanceof Double ? (Double) v : 12.5);
            same(r);
        }
    }

    @Test
    void timestampsRenderAsJacksonDid() {
        long[] seconds = {0, -1, 1, 86_399, 86_400, -86_400, 951_782_400L /* 2000-02-29 */, 4_107_542_399L,
                253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L, -62_167_219_200L /* 0000-01-01 */,
                -62_167_219_201L, -62_135_596_800L, 1_764_072_000L, java.time.LocalDateTime.MAX.toEpochSecond(java.time.ZoneOffset.UTC),
                java.time.LocalDateTime.MIN.toEpochSecond(java.time.ZoneOffset.UTC)};
        for (long s : seconds) {
            for (int nanos : new int[] {0, 999_999_999, 1_000_000, 123_456_789}) {
                LogRecord r = new LogRecord();
                r.setTimestamp(Instant.ofEpochSecond(s, nanos));
                same(r);
            }
        }
        Random rnd = new Random(11);
        LogRecord r = new LogRecord();
        for (int i = 0; i < 100_000; i++) {
            // mostly neighbouring seconds, as in a chunk, and now and then a jump anywhere in 0000-9999
            long s = i % 10 == 0 ? -62_167_219_200L + (long) (rnd.nextDouble() * 315_569_520_000L)
                    : 1_764_072_000L + rnd.nextInt(5);
            r.setTimestamp(Instant.ofEpochSecond(s, rnd.nextInt(1_000_000_000)));
            same(r);
        }
    }

    private static LogRecord random(Random rnd) {
        LogRecord r = new LogRecord();
        if (rnd.nextBoolean()) {
            r.setTimestamp(Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(1_000_000_000)));
        }
        r.setLevel(rnd.nextInt(10) == 0 ? null : text(rnd));
        r.setService(maybe(rnd));
        r.setMessage(maybe(rnd));
        r.setTraceId(maybe(rnd));
        r.setClientIp(maybe(rnd));
        r.setMethod(maybe(rnd));
        r.setPath(maybe(rnd));
        r.setQuery(maybe(rnd));
        r.setStatus(rnd.nextBoolean() ? null : rnd.nextInt(1000) - 100);
        r.setLatencyMs(rnd.nextBoolean() ? null : rnd.nextInt(3) == 0 ? rnd.nextDouble() * 1e6
                : Math.round(rnd.nextGaussian() * 1e5) / 1000d);
        r.setBytes(rnd.nextBoolean() ? null : rnd.nextLong() >>> rnd.nextInt(64));
        r.setUserAgent(maybe(rnd));
        int fields = rnd.nextInt(4);
        for (int i = 0; i < fields; i++) {
            r.getFields().put(text(rnd), switch (rnd.nextInt(6)) {
                case 0 -> text(rnd);
                case 1 -> rnd.nextInt();
                case 2 -> rnd.nextLong();
                case 3 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
                case 4 -> rnd.nextBoolean();
                default -> NODES.objectNode().put(text(rnd), text(rnd)).set("a", NODES.arrayNode().add(text(rnd)));
            });
        }
        if (rnd.nextInt(4) == 0) {
            r.setThreat(new Finding(maybe(rnd), maybe(rnd), maybe(rnd)));
        }
        r.setSourceFile(maybe(rnd));
        r.setSourceOffset(rnd.nextLong());
        r.setParseError(rnd.nextBoolean());
        r.setTruncated(rnd.nextBoolean());
        return r;
    }

    private static String maybe(Random rnd) {
        return rnd.nextInt(5) == 0 ? null : text(rnd);
    }

    /** Mostly ASCII, with control chars, quotes, backslashes, Latin-1, BMP, paired and lone surrogates. */
    private static String text(Random rnd) {
        int n = rnd.nextInt(rnd.nextInt(20) == 0 ? 5000 : 40);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(100);
            if (k < 70) {
                b.append((char) (0x20 + rnd.nextInt(0x5F)));
            } else if (k < 75) {
                b.append((char) rnd.nextInt(0x20));
            } else if (k < 80) {
                b.append(rnd.nextBoolean() ? '"' : '\\');
            } else if (k < 85) {
                b.append((char) (0x7F + rnd.nextInt(0x81)));
            } else if (k < 92) {
                b.append((char) (0x100 + rnd.nextInt(0xD700)));
            } else if (k < 97) {
                b.appendCodePoint(0x10000 + rnd.nextInt(0xFFFFF));
            } else {
                b.append((char) (0xD800 + rnd.nextInt(0x800)));
            }
        }
        return b.toString();
    }

    private static void same(LogRecord r) {
        byte[] expected = JacksonRecordJson.toBytes(r);
        byte[] actual = RecordJson.toBytes(r);
        if (!java.util.Arrays.equals(expected, actual)) {
            assertThat(new String(actual, StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
        }
        // the String form is the bytes decoded; Jackson's Writer-based generator wrote surrogates as chars, not
        // escapes, the same JSON text but not the same chars
        assertThat(RecordJson.toJson(r)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    @Test
    void outputParsesBackAsJson() throws IOException {
        Random rnd = new Random(3);
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < 2_000; i++) {
            JsonNode n = mapper.readTree(RecordJson.toBytes(random(rnd)));
            assertThat(n.isObject()).isTrue();
        }
    }
}
