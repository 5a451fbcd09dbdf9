package io.proxywatch.e2e;

import io.proxywatch.testkit.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fleet mode over TLS ({@code rediss://}) end to end: a real redis-server serving only TLS with a certificate of
 * the test's own; the jar trusting that certificate (the JVM's standard trust-store properties) shares its windows
 * there, and the jar that does not trust it refuses the server and counts locally (certificates are verified).
 */
class FleetTlsIT {
    @TempDir
    Path dir;

    private Process redis;

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void rediss_sharesWindowsWithATrustedServerAndRefusesAnUntrustedOne() throws Exception {
        Path cert = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        Path trust = dir.resolve("trust.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "redis", "-file", cert.toString(), "-keystore", trust.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        int port = FreePort.next();
        redis = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(port),
                "--bind", "127.0.0.1", "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        await("redis-server on TLS port " + port).atMost(Duration.ofSeconds(15))
                .until(() -> Files.readString(dir.resolve("redis.log")).contains("Ready to accept connections"));

        try (JarProcess trusting = jar("trusting", port).property("javax.net.ssl.trustStore", trust)
                .property("javax.net.ssl.trustStorePassword", "changeit").property("javax.net.ssl.trustStoreType", "PKCS12")
                .start()) {
            trusting.awaitOutput(") started in", Duration.ofSeconds(60));
            writeRequests("trusting");
            await("counts in Redis over TLS").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> keys(port, cert).contains("pw:tls-test:{203.0.113.77}"));
            assertThat(trusting.output()).contains("rediss://127.0.0.1:" + port).doesNotContain("unreachable");
        }

        try (JarProcess untrusting = jar("untrusting", port).start()) {
            untrusting.awaitOutput(") started in", Duration.ofSeconds(60));
            writeRequests("untrusting");
            untrusting.awaitOutput("rate windows fall back to this instance's own counts", Duration.ofSeconds(30));
        }
    }

    private JarProcess.Builder jar(String name, int port) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(work.resolve("logs"));
        return JarProcess.builder("fleet-tls-" + name).workDir(work)
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.fleet.redis-url", "rediss://127.0.0.1:" + port + "/0")
                .property("proxywatch.fleet.name", "tls-test")
                .property("proxywatch.fleet.flush-interval-ms", 200);
    }

    private void writeRequests(String name) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"timestamp\":\"").append(Instant.now()).append("\",\"level\":\"INFO\",\"msg\":\"request\",")
                    .append("\"client_ip\":\"203.0.113.77\",\"method\":\"GET\",\"path\":\"/p/").append(i)
                    .append("\",\"status\":200,\"latency_ms\":3}\n");
        }
        Files.writeString(dir.resolve(name).resolve("logs/access.log"), sb, StandardCharsets.UTF_8);
    }

    /** The keys the server holds, asked over TLS with redis-cli (which comes with redis-server). */
    private static String keys(int port, Path cert) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "--tls", "--cacert", cert.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "--scan", "--pattern", "pw:*").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
