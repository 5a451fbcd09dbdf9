package io.proxywatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutesExportTest {
    @TempDir
    Path dir;

    @Test
    void exportWritesEveryPackagedRouteInItsLayoutAndNeverOverwrites() throws Exception {
        Path target = dir.resolve("routes");
        List<Path> written = RoutesExport.export(target);
        assertThat(target.resolve("ingest.yaml")).exists();
        assertThat(target.resolve("route-configurations/pipeline-errors.yaml")).exists();
        assertThat(written).contains(target.resolve("detect.yaml"));
        assertThat(Files.readString(target.resolve("ingest.yaml")))
                .isEqualTo(new String(getClass().getResourceAsStream("/routes/ingest.yaml").readAllBytes()));

        Files.writeString(target.resolve("ingest.yaml"), "# mine\n");
        assertThatThrownBy(() -> RoutesExport.export(target)).isInstanceOf(ConfigError.class)
                .hasMessageContaining("exists; remove it or pick another folder");
        assertThat(Files.readString(target.resolve("ingest.yaml"))).isEqualTo("# mine\n");
    }

    @Test
    void thePackagedListingNamesEveryPackagedRouteFileAndNothingElse() throws Exception {
        Path target = dir.resolve("routes");
        List<String> exported = RoutesExport.export(target).stream()
                .map(p -> "routes/" + target.relativize(p).toString().replace('\\', '/')).sorted().toList();
        assertThat(RoutesExport.packagedFiles()).containsExactlyElementsOf(exported)
                .contains("routes/ingest.yaml", "routes/route-configurations/ship-errors.yaml");
    }

    @Test
    void inAJarTheListingIsTheYamlFilesUnderRoutesFromTheJarsDirectory() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("routes/ship.yaml", "routes/ingest.yaml", "routes/README.txt",
                    "routes/route-configurations/errors.yaml", "other/routes/x.yaml", "routesx/y.yaml")) {
                out.putNextEntry(new JarEntry(name));
                out.write("- route: {}\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (var loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            assertThat(RoutesExport.packagedFilesInJar(loader)).containsExactly("routes/ingest.yaml",
                    "routes/route-configurations/errors.yaml", "routes/ship.yaml");
        }
        try (var none = new URLClassLoader(new URL[]{dir.toUri().toURL()}, null)) {
            assertThat(RoutesExport.packagedFilesInJar(none)).as("not from a jar").isNull();
        }
    }

    @Test
    void onlyPatternsIntoThePackagedRoutesSkipCamelsScan() {
        String packaged = "classpath:routes/*.yaml,classpath:routes/route-configurations/*.yaml";
        assertThat(PackagedRoutesCollector.handles(packaged)).isTrue();
        assertThat(PackagedRoutesCollector.handles("classpath:routes/a.yaml, classpath:routes/b.yaml")).isTrue();
        assertThat(PackagedRoutesCollector.handles("classpath:routes/a.yaml,file:/etc/proxywatch/*.yaml")).isFalse();
        assertThat(PackagedRoutesCollector.handles("classpath:other/*.yaml")).isFalse();
        assertThat(PackagedRoutesCollector.handles("classpath:routes/a.yaml?optional=true")).isFalse();
        assertThat(PackagedRoutesCollector.handles("")).isFalse();
        assertThat(PackagedRoutesCollector.handles(null)).isFalse();
    }

    @Test
    void thePackagedPatternsResolveToTheSameFilesCamelWouldFind() throws Exception {
        String pattern = "classpath:routes/*.yaml,classpath:routes/route-configurations/*.yaml";
        try (org.apache.camel.impl.DefaultCamelContext ctx = new org.apache.camel.impl.DefaultCamelContext()) {
            List<String> ours = new PackagedRoutesCollector().findRouteResourcesFromDirectory(ctx, null, pattern)
                    .stream().map(r -> inRoutes(r.getLocation())).sorted().toList();
            List<String> camels = new org.apache.camel.main.DefaultRoutesCollector()
                    .findRouteResourcesFromDirectory(ctx, null, pattern)
                    .stream().map(r -> inRoutes(r.getLocation())).sorted().toList();
            assertThat(ours).hasSize(19).containsExactlyElementsOf(camels);
        }
    }

    /** classpath:routes/x.yaml and file:…/classes/routes/x.yaml alike: the part from routes/ on. */
    private static String inRoutes(String location) {
        return location.substring(location.indexOf("routes/"));
    }

    @Test
    void aSnapshotIsACopyThatLaterEditsDoNotTouch() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes/route-configurations"));
        Files.writeString(dir.resolve("routes/a.yaml"), "one");
        Files.writeString(routes.resolve("b.yaml"), "two");
        Path copy = RoutesExport.snapshot(dir.resolve("routes"), dir.resolve("loaded"));
        Files.writeString(dir.resolve("routes/a.yaml"), "edited");
        assertThat(Files.readString(copy.resolve("a.yaml"))).isEqualTo("one");
        assertThat(Files.readString(copy.resolve("route-configurations/b.yaml"))).isEqualTo("two");
        assertThat(RoutesExport.includePattern(copy)).isEqualTo("file:" + copy + "/*.yaml,file:" + copy
                + "/route-configurations/*.yaml");
        RoutesExport.delete(copy);
        assertThat(copy).doesNotExist();
    }
}
