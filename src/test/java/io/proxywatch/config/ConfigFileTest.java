package io.proxywatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** How the --config file is read. */
class ConfigFileTest {
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
            Properties p = ConfigFile.read(f);
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
        assertThat(ConfigFile.read(f).getProperty("proxywatch.alert.mail.from")).isEqualTo("Jos\u00e9 <pw@example.com>");
    }

    /** Windows paths as an operator writes them in the file, and the escapes Java's format gives meaning to. */
    @Test
    void backslashesAreKeptAsWrittenSaveJavasMeaningfulEscapes() throws Exception {
        Path f = dir.resolve("windows.properties");
        Files.writeString(f, String.join("\r\n",
                "proxywatch.input.paths=C:\\logs\\*.log,D:\\nginx\\traefik\\access.log",
                "proxywatch.data-dir=C:\\proxywatch\\data\\",
                "proxywatch.levels.dir=\\\\fileserver\\caddy-logs\\out",
                "proxywatch.alert.wecom.url-file=C:\\\\proxywatch\\\\secrets\\\\wecom-url",
                "proxywatch.ship.url=https\\://collector.example/v1",
                "proxywatch.input.multiline.start-pattern=^goroutine \\\\d+ \\\\[\\t",
                "proxywatch.alert.mail.to=a@example.com,\\",
                "    b@example.com",
                "proxywatch.rules.file=C:\\proxywatch\\rules.yaml,\\",
                "    ignored-but-continued",
                "proxywatch.alert.mail.from=Jos\\u00e9 <pw@example.com>", ""), StandardCharsets.UTF_8);
        Properties p = ConfigFile.read(f);
        assertThat(p.getProperty("proxywatch.input.paths")).isEqualTo("C:\\logs\\*.log,D:\\nginx\\traefik\\access.log");
        assertThat(p.getProperty("proxywatch.data-dir")).isEqualTo("C:\\proxywatch\\data\\");
        assertThat(p.getProperty("proxywatch.levels.dir")).isEqualTo("\\\\fileserver\\caddy-logs\\out");
        assertThat(p.getProperty("proxywatch.alert.wecom.url-file")).isEqualTo("C:\\proxywatch\\secrets\\wecom-url");
        assertThat(p.getProperty("proxywatch.ship.url")).isEqualTo("https://collector.example/v1");
        // every other setting is read as Java reads it: a pattern writes its backslashes doubled
        assertThat(p.getProperty("proxywatch.input.multiline.start-pattern")).isEqualTo("^goroutine \\d+ \\[\t");
        assertThat(p.getProperty("proxywatch.alert.mail.to")).isEqualTo("a@example.com,b@example.com");
        assertThat(p.getProperty("proxywatch.rules.file")).as("an indented next line continues a path too")
                .isEqualTo("C:\\proxywatch\\rules.yaml,ignored-but-continued");
        assertThat(p.getProperty("proxywatch.alert.mail.from")).isEqualTo("Jos\u00e9 <pw@example.com>");
    }

    /** Windows PowerShell 5.1 writes UTF-16 with a byte-order mark; without one, NULs say what it is. */
    @Test
    void aUtf16FileReadsAndOneWithoutItsMarkIsRefused() throws Exception {
        String text = "proxywatch.input.paths=/var/log/caddy/*.log\r\n";
        Path le = dir.resolve("le.properties");
        Files.write(le, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE));
        Path be = dir.resolve("be.properties");
        Files.write(be, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16BE));
        for (Path f : new Path[] {le, be}) {
            assertThat(ConfigFile.read(f).getProperty("proxywatch.input.paths")).as(f.toString())
                    .isEqualTo("/var/log/caddy/*.log");
        }
        Path bare = dir.resolve("bare.properties");
        Files.write(bare, text.getBytes(StandardCharsets.UTF_16LE));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigFile.read(bare))
                .isInstanceOf(ConfigError.class).hasMessageContaining("save it as UTF-8");
    }
}
