package io.proxywatch.testkit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real redis-server on a free 127.0.0.1 port, without persistence, that a test can stop, restart and pause
 * (SIGSTOP) mid-way. The Debian package redis-server provides the binary (.ci/run installs it); without it the
 * test fails, it is not skipped.
 */
public final class RedisServer implements AutoCloseable {
    private final String binary;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(String binary, int port, Path log) {
        this.binary = binary;
        this.port = port;
        this.log = log;
    }

    public static RedisServer start() throws IOException {
        String binary = findBinary();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path logs = Files.createDirectories(Path.of("target", "redis-logs"));
        RedisServer r = new RedisServer(binary, port, logs.resolve("redis-" + port + ".log"));
        r.launch();
        return r;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    /** Kills it (SIGKILL): connections drop at once, as when a Redis host dies. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    /** Starts it again if a test stopped it (or left it paused), so one test's outage does not leak into the next. */
    public void ensureRunning() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            launch();
        } else {
            resume();
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** SIGSTOP: connections stay open and nothing answers, as with a hung or overloaded Redis. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Jedis j = client()) {
                return "PONG".equals(j.ping());
            }
        });
    }

    private void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    private static String findBinary() {
        for (String dir : List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        File debian = new File("/usr/bin/redis-server");
        if (debian.canExecute()) {
            return debian.getPath();
        }
        throw new IllegalStateException("redis-server is not installed: the fleet tests need a real one"
                + " (apt-get install -y redis-server; .ci/run installs it)");
    }
}
