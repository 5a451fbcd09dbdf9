package io.proxywatch.config;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.stream.Stream;

/** {@code --export-routes DIR}: the packaged YAML routes copied out, as the starting point for --routes-dir. */
public final class RoutesExport {
    static final String FOLDER = "routes";

    private RoutesExport() {
    }

    /** Copies every packaged route file into {@code target} (same layout); refuses to overwrite one. */
    public static List<Path> export(Path target) {
        try {
            return inPackagedFolder(from -> copy(from, target));
        } catch (URISyntaxException | IOException e) {
            throw new ConfigError("--export-routes " + target + ": " + e.getMessage());
        }
    }

    /** The packaged route files as class-path names ({@code routes/ingest.yaml}, …), sorted. */
    static List<String> packagedFiles() throws URISyntaxException, IOException {
        List<String> inJar = packagedFilesInJar(RoutesExport.class.getClassLoader());
        return inJar != null ? inJar : inPackagedFolder(from -> {
            try (Stream<Path> files = Files.walk(from)) {
                return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                        .map(f -> FOLDER + "/" + from.relativize(f).toString().replace('\\', '/')).toList();
            }
        });
    }

    /** The route files when {@code loader} has them from a jar, else null. */
    static List<String> packagedFilesInJar(ClassLoader loader) throws IOException {
        URL marker = loader.getResource(FOLDER + "/ingest.yaml");
        if (marker != null && marker.openConnection() instanceof JarURLConnection jar) {
            // the jar's directory as the JDK already read it for class loading; a zip file system would read and
            // index its 17,000 entries again (0.1 s of every start)
            try (Stream<JarEntry> entries = jar.getJarFile().stream()) {
                return entries.map(JarEntry::getName)
                        .filter(n -> n.startsWith(FOLDER + "/") && n.endsWith(".yaml")).sorted().toList();
            }
        }
        return null;
    }

    private interface FolderTask<T> {
        T run(Path folder) throws IOException;
    }

    /** Runs {@code task} on the packaged routes folder, inside the jar or, in tests, in the classes folder. */
    private static <T> T inPackagedFolder(FolderTask<T> task) throws URISyntaxException, IOException {
        URL marker = RoutesExport.class.getClassLoader().getResource(FOLDER + "/ingest.yaml");
        if (marker == null) {
            throw new IOException("the packaged routes are missing from the jar");
        }
        URI uri = marker.toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return task.run(jar.getPath("/" + FOLDER));
            }
        }
        return task.run(Path.of(uri).getParent());
    }

    private static List<Path> copy(Path from, Path target) throws IOException {
        List<Path> written = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(from)) {
            sources = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path src : sources) {
            Path dest = target.resolve(from.relativize(src).toString());
            if (Files.exists(dest)) {
                throw new ConfigError("--export-routes " + target + ": " + dest + " exists; remove it or pick another folder");
            }
        }
        for (Path src : sources) {
            Path dest = target.resolve(from.relativize(src).toString());
            Files.createDirectories(dest.getParent());
            Files.copy(src, dest);
            written.add(dest);
        }
        return written;
    }

    /**
     * A copy of the route files of {@code dir} in a new folder under {@code parent}, taken at one moment: the
     * routes a run starts from, kept while it runs.
     */
    public static Path snapshot(Path dir, Path parent) {
        try {
            Files.createDirectories(parent);
            Path copy = Files.createTempDirectory(parent, "routes-");
            copy(dir, copy);
            return copy;
        } catch (IOException e) {
            throw new ConfigError("proxywatch.routes.dir: cannot copy " + dir + " to " + parent + ": " + e.getMessage());
        }
    }

    /** Deletes a folder written by {@link #snapshot}; what cannot be deleted now is left for the next start. */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // harmless: a stale copy is only disk space, and the next start clears the folder
        }
    }

    /** Camel's routes-include-pattern for a routes folder laid out as the export writes it. */
    public static String includePattern(Path dir) {
        String d = dir.toAbsolutePath().normalize().toString().replace('\\', '/');
        return "file:" + d + "/*.yaml,file:" + d + "/route-configurations/*.yaml";
    }
}
