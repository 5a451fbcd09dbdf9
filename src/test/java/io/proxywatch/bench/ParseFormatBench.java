package io.proxywatch.bench;

import io.proxywatch.parse.RecordParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Parse cost per line and per input format: the same 10,000 generated requests (the mix of bench/gen_access_log.py:
 * 90/7/3% 2xx/4xx/5xx, 1% attack paths, 20,000 clients) written as each format the parser knows for access logs,
 * parsed by {@link RecordParser} as the packaged configuration runs it ({@code auto}: format detected per line).
 * <ul>
 *   <li>{@code json}: the structured Go gateway line (what the bulk and steady scenarios feed);</li>
 *   <li>{@code caddy}: Caddy's access log ({@code request} object, header arrays, duration in seconds);</li>
 *   <li>{@code traefik}: Traefik's JSON access log (flat keys, duration in ns);</li>
 *   <li>{@code clf}: Combined Log Format text (nginx/Apache style, what a text-logging proxy writes);</li>
 *   <li>{@code logfmt}: Go slog's text handler ({@code time=… level=… msg=… key=value}).</li>
 * </ul>
 * Scores are ns per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class ParseFormatBench {
    private static final int LINES = 10_000;
    @Param({"json", "caddy", "traefik", "clf", "logfmt"})
    public String format;

    private List<String> lines;
    private RecordParser parser;

    @Setup
    public void setUp() {
        parser = new RecordParser("auto", null);
        lines = generate(format, LINES, 42);
        // every line must parse as the format it was written in, or the score would measure the fallback path
        for (String l : lines) {
            String got = parser.parse(l, "bench.log", 0).getFormat();
            String want = format.equals("logfmt") ? "logfmt" : format;
            if (!want.equals(got)) {
                throw new IllegalStateException(format + " line parsed as " + got + ": " + l);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parse(Blackhole bh) {
        for (String l : lines) {
            bh.consume(parser.parse(l, "bench.log", 0));
        }
    }

    static List<String> generate(String format, int n, long seed) {
        Random rnd = new Random(seed);
        String[] pool = BenchLines.clientPool(rnd);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BenchLines.Request req = BenchLines.request(rnd, pool, false);
            int status = req.status();
            String level = req.level();
            String path = req.path();
            String ip = req.ip();
            double ms = Math.round(Math.exp(2.0 + 0.8 * rnd.nextGaussian()) * 100) / 100.0;
            int bytes = 200 + rnd.nextInt(19_800);
            String ua = BenchLines.AGENTS[rnd.nextInt(BenchLines.AGENTS.length)];
            int sec = i / 1000;
            int milli = i % 1000;
            String iso = String.format(Locale.ROOT, "2026-11-25T12:%02d:%02d.%03dZ", sec / 60 % 60, sec % 60, milli);
            String trace = "t-" + i;
            String bare = req.bare();
            String jpath = path.replace("\"", "\\\"");
            switch (format) {
                case "json":
                    out.add("{\"timestamp\":\"" + iso + "\",\"level\":\"" + level + "\",\"service\":\"gateway\","
                            + "\"message\":\"GET " + bare + " " + status + "\",\"trace_id\":\"" + trace
                            + "\",\"client_ip\":\"" + ip + "\",\"method\":\"GET\",\"path\":\"" + jpath
                            + "\",\"status\":" + status + ",\"latency_ms\":" + ms + ",\"bytes\":" + bytes
                            + ",\"user_agent\":\"" + ua + "\"}");
                    break;
                case "caddy":
                    out.add("{\"level\":\"" + (status >= 400 ? "error" : "info") + "\",\"ts\":"
                            + (1795608000L + sec) + "." + String.format(Locale.ROOT, "%06d", milli * 1000)
                            + ",\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{"
                            + "\"remote_ip\":\"" + ip + "\",\"remote_port\":\"" + (30000 + i % 30000)
                            + "\",\"client_ip\":\"" + ip + "\",\"proto\":\"HTTP/1.1\",\"method\":\"GET\","
                            + "\"host\":\"shop.example.com\",\"uri\":\"" + jpath + "\",\"headers\":{\"User-Agent\":[\""
                            + ua + "\"],\"Accept\":[\"*/*\"],\"X-Request-Id\":[\"" + trace + "\"]}},"
                            + "\"bytes_read\":0,\"user_id\":\"\",\"duration\":" + ms / 1000 + ",\"size\":" + bytes
                            + ",\"status\":" + status + ",\"resp_headers\":{\"Server\":[\"Caddy\"],"
                            + "\"Content-Type\":[\"text/html; charset=utf-8\"]}}");
                    break;
                case "traefik":
                    long ns = (long) (ms * 1_000_000);
                    out.add("{\"ClientAddr\":\"" + ip + ":52144\",\"ClientHost\":\"" + ip + "\",\"ClientPort\":"
                            + "\"52144\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":" + bytes
                            + ",\"DownstreamStatus\":" + status + ",\"Duration\":" + ns + ",\"OriginContentSize\":"
                            + bytes + ",\"OriginDuration\":" + (ns - 400_000) + ",\"OriginStatus\":" + status
                            + ",\"Overhead\":400000,\"RequestAddr\":\"shop.example.com\",\"RequestContentSize\":0,"
                            + "\"RequestCount\":" + i + ",\"RequestHost\":\"shop.example.com\",\"RequestMethod\":"
                            + "\"GET\",\"RequestPath\":\"" + jpath + "\",\"RequestPort\":\"-\",\"RequestProtocol\":"
                            + "\"HTTP/2.0\",\"RequestScheme\":\"https\",\"RetryAttempts\":0,\"RouterName\":"
                            + "\"shop@docker\",\"ServiceAddr\":\"172.20.0.5:8080\",\"ServiceName\":\"shop@docker\","
                            + "\"ServiceURL\":\"http://172.20.0.5:8080\",\"StartUTC\":\"" + iso + "\",\"entryPointName\":"
                            + "\"websecure\",\"level\":\"info\",\"msg\":\"\",\"request_User-Agent\":\"" + ua
                            + "\",\"request_X-Request-Id\":\"" + trace + "\",\"time\":\"" + iso.substring(0, 19)
                            + "Z\"}");
                    break;
                case "clf":
                    out.add(ip + " - - [25/Nov/2026:12:" + String.format(Locale.ROOT, "%02d:%02d", sec / 60 % 60,
                            sec % 60) + " +0000] \"GET " + path + " HTTP/1.1\" " + status + " " + bytes
                            + " \"https://shop.example.com/\" \"" + ua + "\"");
                    break;
                case "logfmt":
                    out.add("time=" + iso + " level=" + level + " msg=\"GET " + bare + " " + status
                            + "\" service=gateway trace_id=" + trace + " client_ip=" + ip + " method=GET path=\""
                            + jpath + "\" status=" + status + " latency=" + ms + "ms bytes=" + bytes
                            + " user_agent=\"" + ua + "\"");
                    break;
                default:
                    throw new IllegalArgumentException(format);
            }
        }
        return out;
    }
}
