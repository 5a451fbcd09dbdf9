package io.proxywatch.service;

import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.UnknownKeyCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service definitions in {@code service/}: a stop must leave the JVM time for its graceful shutdown (Camel's
 * shutdown-timeout plus the shipping grace), a crash must restart it, and it must run the jar with its config.
 */
class ServiceFilesTest {
    private static final Path SERVICE = Path.of("service");

    /** Seconds a graceful stop may take: Camel's shutdown timeout, then the open batches' grace. */
    private static long gracefulStopSeconds() throws Exception {
        Properties p = new Properties();
        try (InputStream in = ServiceFilesTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        long camel = Long.parseLong(p.getProperty("camel.main.shutdown-timeout"));
        long grace = Long.parseLong(p.getProperty("proxywatch.ship.shutdown-grace-ms")) / 1000;
        return camel + grace;
    }

    @Test
    void winswConfigRunsTheJarWithItsConfigAndStopsGracefully() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document doc = f.newDocumentBuilder().parse(SERVICE.resolve("proxywatch.xml").toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("service");
        assertThat(text(root, "id")).isEqualTo("proxywatch");
        assertThat(text(root, "executable")).endsWith("java");
        String args = text(root, "arguments");
        assertThat(args).contains("-jar \"%BASE%\\proxywatch.jar\"").contains("--config \"%BASE%\\proxywatch.properties\"")
                .doesNotContain("-Xrs");
        assertThat(args.indexOf("-XX:SharedArchiveFile=\"%BASE%\\proxywatch.jsa\"")).as("class-data sharing, before -jar")
                .isNotNegative().isLessThan(args.indexOf("-jar"));
        assertThat(text(root, "workingdirectory")).isEqualTo("%BASE%");

        assertThat(seconds(text(root, "stoptimeout"))).as("stoptimeout")
                .isGreaterThanOrEqualTo(gracefulStopSeconds() + 5);

        NodeList failures = root.getElementsByTagName("onfailure");
        assertThat(failures.getLength()).isPositive();
        for (int i = 0; i < failures.getLength(); i++) {
            Element e = (Element) failures.item(i);
            assertThat(e.getAttribute("action")).isEqualTo("restart");
            assertThat(seconds(e.getAttribute("delay"))).isPositive();
        }

        String logpath = text(root, "logpath");
        assertThat(logpath).startsWith("%BASE%\\").as("not the default input folder logs/").isNotEqualTo("%BASE%\\logs");
        Element log = (Element) root.getElementsByTagName("log").item(0);
        assertThat(log.getAttribute("mode")).isEqualTo("roll-by-size");
        assertThat(text(log, "sizeThreshold")).isNotBlank();
        assertThat(text(log, "keepFiles")).isNotBlank();
    }

    /** The service files name an archive that does not exist until the operator makes one: the JVM must run anyway. */
    @Test
    void aMissingClassDataArchiveDoesNotStopTheJvm(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:SharedArchiveFile=" + dir.resolve("proxywatch.jsa"),
                "-cp", System.getProperty("java.class.path"), "io.proxywatch.Application", "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("--config");
    }

    @Test
    void systemdUnitRunsTheJarAsItsUserAndStopsGracefully() throws Exception {
        Map<String, List<String>> unit = unit(SERVICE.resolve("proxywatch.service"));
        String exec = one(unit, "Service.ExecStart");
        assertThat(exec).startsWith("/").contains(" -jar /opt/proxywatch/proxywatch.jar")
                .contains(" --config /etc/proxywatch/proxywatch.properties");
        assertThat(exec.indexOf(" -XX:SharedArchiveFile=/var/lib/proxywatch/proxywatch.jsa ")).as("class-data sharing, before -jar")
                .isNotNegative().isLessThan(exec.indexOf(" -jar"));
        assertThat(one(unit, "Service.User")).isEqualTo("proxywatch");
        assertThat(one(unit, "Service.WorkingDirectory")).isEqualTo("/var/lib/proxywatch");
        assertThat(one(unit, "Service.Restart")).isEqualTo("on-failure");
        assertThat(one(unit, "Service.KillSignal")).isEqualTo("SIGTERM");
        assertThat(Long.parseLong(one(unit, "Service.TimeoutStopSec"))).as("TimeoutStopSec")
                .isGreaterThan(gracefulStopSeconds());
        assertThat(one(unit, "Service.SuccessExitStatus")).as("a handled SIGTERM exits 143").contains("143");
        assertThat(one(unit, "Service.EnvironmentFile")).isEqualTo("-/etc/proxywatch/env");
        assertThat(one(unit, "Service.ProtectSystem")).isEqualTo("strict");
        assertThat(one(unit, "Service.ReadWritePaths")).contains("/var/lib/proxywatch").contains("/var/log/proxywatch");
        assertThat(one(unit, "Service.NoNewPrivileges")).isEqualTo("yes");
        assertThat(unit).as("the JIT needs W+X memory").doesNotContainKey("Service.MemoryDenyWriteExecute");
        assertThat(one(unit, "Install.WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theSamplePropertiesUseOnlyKnownKeysAndAbsolutePaths() throws Exception {
        Path file = SERVICE.resolve("proxywatch.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        new UnknownKeyCheck(KnownSettings.load()).check(p, file, new Properties(), Map.of());
        for (String key : new String[]{"proxywatch.input.paths", "proxywatch.data-dir", "proxywatch.levels.dir"}) {
            assertThat(p.getProperty(key)).as(key).startsWith("/");
        }
        // the unit's folders are the ones the properties write to
        Map<String, List<String>> unit = unit(SERVICE.resolve("proxywatch.service"));
        assertThat(one(unit, "Service.ReadWritePaths")).contains(p.getProperty("proxywatch.data-dir"))
                .contains(p.getProperty("proxywatch.levels.dir"));
    }

    private static String text(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        assertThat(l.getLength()).as("<" + tag + "> elements").isEqualTo(1);
        return l.item(0).getTextContent().strip();
    }

    /** WinSW durations: "45 sec", "10sec", "1 min", "2 hours". */
    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)\\s*(sec|secs|min|mins|hour|hours)?").matcher(duration.strip());
        assertThat(m.matches()).as("a WinSW duration: " + duration).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "min", "mins" -> n * 60;
            case "hour", "hours" -> n * 3600;
            case "ms" -> n / 1000;
            default -> n;
        };
    }

    /** "Section.Key" to its values, in order; comments and blank lines skipped. */
    private static Map<String, List<String>> unit(Path file) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                section = l.substring(1, l.length() - 1);
                continue;
            }
            int eq = l.indexOf('=');
            assertThat(eq).as("key=value: " + l).isPositive();
            out.computeIfAbsent(section + "." + l.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(l.substring(eq + 1).strip());
        }
        return out;
    }

    private static String one(Map<String, List<String>> unit, String key) {
        List<String> values = unit.get(key);
        assertThat(values).as(key).isNotNull().hasSize(1);
        return values.get(0);
    }
}
