package io.proxywatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** How the --config file is read. */
class RunSettingsTest {
    @TempDir
    Path dir;

    /** UTF-8, as editors write it today (Windows' with a byte-order mark); before, read as ISO-8859-1: garbled. */
    @Test
    void aUtf8FileKeepsItsNonAsciiValuesWithOrWithoutAByteOrderMark() throws Exception {
        String text = "proxywatch.input.paths=/var/log/网关/*.log\nproxywatch.alert.mail.from=告警 <pw@example.com>\n";
        Path plain = dir.resolve("plain.properties");
        Files.writeString(plain, text, StandardCharsets.UTF_8);
        Path bom = dir.resolve("bom.properties");
        Files.writeString(bom, "\uFEFF" + text, StandardCharsets.UTF_8);
        for (Path f : new Path[] {plain, bom}) {
            Properties p = RunSettings.read(f);
            assertThat(p.getProperty("proxywatch.input.paths")).as(f.toString()).isEqualTo("/var/log/网关/*.log");
            assertThat(p.getProperty("proxywatch.alert.mail.from")).isEqualTo("告警 <pw@example.com>");
            assertThat(p.stringPropertyNames()).allMatch(k -> k.startsWith("proxywatch."));
        }
    }

    /** A file written the old way (ISO-8859-1, as Java's properties files are) still reads as it did. */
    @Test
    void aLatin1FileStillReads() throws Exception {
        Path f = dir.resolve("latin1.properties");
        Files.write(f, "proxywatch.alert.mail.from=Jos\u00e9 <pw@example.com>\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(RunSettings.read(f).getProperty("proxywatch.alert.mail.from")).isEqualTo("Jos\u00e9 <pw@example.com>");
    }
}
