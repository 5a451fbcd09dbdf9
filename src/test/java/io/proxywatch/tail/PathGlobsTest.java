package io.proxywatch.tail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathGlobsTest {
    @TempDir
    Path dir;

    private Path touch(String rel) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x\n");
        return p.toAbsolutePath().normalize();
    }

    @Test
    void splitsOnCommasButNotInsideBraces() {
        assertThat(PathGlobs.split(" logs/*.log, /var/log/{caddy,traefik}/*.log ,"))
                .containsExactly("logs/*.log", "/var/log/{caddy,traefik}/*.log");
        assertThat(PathGlobs.split("logs/a.log;logs/b.log")).as("a Windows list").containsExactly("logs/a.log",
                "logs/b.log");
    }

    /** The banner says what each glob matches now: one that matches nothing is the usual mistake. */
    @Test
    void theBannerSaysHowManyFilesEachGlobMatches() throws IOException {
        touch("logs/a.log");
        touch("logs/b.log");
        touch("other/x.txt");
        assertThat(new PathGlobs(List.of(dir + "/logs/*.log", dir + "/other/*.log", dir + "/later/*.log")).describe())
                .containsExactly(dir + "/logs/*.log  (2 files now)",
                        dir + "/other/*.log  (no file matches yet: waiting; check the pattern if the proxy already"
                                + " writes its log there)",
                        dir + "/later/*.log  (folder " + dir.resolve("later").toAbsolutePath().normalize()
                                + " not there yet: waiting)");
    }

    @Test
    void starStaysInOneFolderAndDoubleStarCrossesFolders() throws IOException {
        Path a = touch("logs/access.log");
        Path b = touch("logs/sub/access.log");
        Path c = touch("logs/access.log.1");
        assertThat(new PathGlobs(List.of(dir + "/logs/*.log")).match()).containsExactly(a);
        assertThat(new PathGlobs(List.of(dir + "/logs/**/*.log")).match()).containsExactlyInAnyOrder(a, b);
        assertThat(new PathGlobs(List.of(dir + "/logs/access.log*")).match()).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void bracesAndQuestionMarksAndBackslashes() throws IOException {
        Path caddy = touch("caddy/access.log");
        Path traefik = touch("traefik/access.log");
        touch("other/access.log");
        assertThat(new PathGlobs(List.of(dir + "/{caddy,traefik}/acces?.log")).match())
                .containsExactlyInAnyOrder(caddy, traefik);
        String backslashed = (dir + "/caddy/*.log").replace('/', '\\');
        assertThat(new PathGlobs(List.of(backslashed)).matches(caddy)).isTrue();
    }

    @Test
    void aMissingFolderMatchesNothingAndIsSaidToBeAwaited() {
        PathGlobs globs = new PathGlobs(List.of(dir + "/nope/*.log"));
        assertThat(globs.match()).isEmpty();
        assertThat(globs.describe().get(0)).contains("not there yet");
    }

    @Test
    void aPlainFileNameIsItsOwnGlob() throws IOException {
        Path a = touch("app.log");
        assertThat(new PathGlobs(List.of(a.toString())).match()).containsExactly(a);
    }
}
