package io.proxywatch.tail;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(CheckpointStore.FILE_NAME);
    }

    private static Checkpoint at(long offset) {
        return new Checkpoint("/var/log/caddy/access.log", new FileIdentity("(dev=1,ino=2)", 512, 77L), offset, 1_000L);
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(file(), BasicFileAttributes.class).fileKey();
    }

    private long offsetOnDisk(String id) throws IOException {
        for (var n : new ObjectMapper().readTree(file().toFile()).path("files")) {
            if (n.path("id").asText().equals(id)) {
                return n.path("offset").asLong();
            }
        }
        return -1;
    }

    @Test
    void aSmallStoreIsOnePagePaddedWithBlanksAndLoadsBack() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.put("a", at(123));
        store.save();

        byte[] bytes = Files.readAllBytes(file());
        assertThat(bytes).hasSize(CheckpointStore.PAGE_BYTES);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text.substring(text.lastIndexOf('}') + 1)).isBlank();
        assertThat(new CheckpointStore(dir).get("a")).isEqualTo(at(123));
    }

    @Test
    void savesBetweenDurableOnesOverwriteTheSameFileInPlace() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.put("a", at(1));
        store.save(); // no file yet: created by rename
        Object created = fileKey();
        for (int i = 2; i <= 50; i++) {
            store.put("a", at(i));
            store.save();
            assertThat(offsetOnDisk("a")).isEqualTo(i);
        }
        assertThat(fileKey()).as("same file, written in place").isEqualTo(created);
        assertThat(dir.resolve(CheckpointStore.FILE_NAME + ".tmp")).doesNotExist();
        assertThat(store.needsFsync()).isTrue();
    }

    @Test
    void aStoreBiggerThanAPageIsReplacedByRenameAndShrinksBackToInPlace() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("file-" + i);
            store.put("file-" + i, at(i));
        }
        store.save();
        assertThat(Files.size(file())).isGreaterThan(CheckpointStore.PAGE_BYTES);
        Object first = fileKey();
        store.put("file-0", at(999));
        store.save();
        assertThat(fileKey()).as("replaced, not overwritten").isNotEqualTo(first);
        assertThat(new CheckpointStore(dir).get("file-0")).isEqualTo(at(999));

        for (String id : ids.subList(1, ids.size())) {
            store.remove(id);
        }
        store.save(); // the page-sized file replaces the big one ...
        assertThat(Files.size(file())).isEqualTo(CheckpointStore.PAGE_BYTES);
        Object small = fileKey();
        store.put("file-0", at(1000));
        store.save(); // ... and is overwritten in place from then on
        assertThat(fileKey()).isEqualTo(small);
        assertThat(new CheckpointStore(dir).entries()).hasSize(1);
        assertThat(new CheckpointStore(dir).get("file-0")).isEqualTo(at(1000));
    }

    @Test
    void entriesWithoutAFileKeyOrWithFieldsItDoesNotKnowLoadBack() throws IOException {
        Files.writeString(file(), """
                {"version":1,"comment":{"by":"an operator"},"files":[
                 {"id":"w","path":"D:/logs/caddy.log","file_key":null,"fp_length":0,"fp_hash":0,"offset":7,
                  "updated_ms":5,"note":[1,2,{"x":3}]},
                 {"id":"b","path":"/b.log","offset":"9"}]}""");
        CheckpointStore store = new CheckpointStore(dir);
        assertThat(store.get("w")).isEqualTo(new Checkpoint("D:/logs/caddy.log", new FileIdentity(null, 0, 0), 7, 5));
        assertThat(store.get("b")).isEqualTo(new Checkpoint("/b.log", new FileIdentity(null, 0, 0), 9, 0));
        store.put("k", at(3));
        Checkpoint windows = new Checkpoint("C:\\logs\\caddy \"main\".log", new FileIdentity("vol=1,idx=2", 1, -5), 8, 6);
        store.put("win", windows);
        store.save();
        CheckpointStore again = new CheckpointStore(dir);
        assertThat(again.entries()).extracting(java.util.Map.Entry::getKey).containsExactly("w", "b", "k", "win");
        assertThat(again.get("win")).isEqualTo(windows);
        assertThat(again.get("w")).isEqualTo(store.get("w"));
        assertThat(again.get("k")).isEqualTo(at(3));
    }

    @Test
    void aFileThatIsNotJsonIsRefusedNamingIt() throws IOException {
        Files.writeString(file(), "{\"version\":1,\"files\":[{\"id\":");
        assertThatThrownBy(() -> new CheckpointStore(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("move it away to start over");
    }

    @Test
    void aFileFromBeforePaddingIsReadAndThenReplaced() throws IOException {
        Files.writeString(file(), """
                {"version":1,"files":[{"id":"a","path":"/var/log/caddy/access.log","file_key":"(dev=1,ino=2)",
                "fp_length":512,"fp_hash":77,"offset":42,"updated_ms":1000}]}""");
        CheckpointStore store = new CheckpointStore(dir);
        assertThat(store.get("a")).isEqualTo(at(42));
        store.put("a", at(43));
        store.save();
        assertThat(Files.size(file())).isEqualTo(CheckpointStore.PAGE_BYTES);
        assertThat(offsetOnDisk("a")).isEqualTo(43);
    }

    @Test
    void aDurableSaveForcesTheDataFirstAndVouchesOnlyForWhatWasThereBefore() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.put("a", at(10));
        store.save();
        store.put("a", at(20));
        store.saveDurably(() -> {
            try {
                // the data is being forced: the file must not claim offset 20 yet
                assertThat(offsetOnDisk("a")).isEqualTo(10);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(offsetOnDisk("a")).isEqualTo(20);
        assertThat(store.needsFsync()).isFalse();
    }

    @Test
    void chunksCompletedDuringTheForceAreNotLostByTheDurableWrite() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.put("a", at(10));
        store.save();
        store.saveDurably(() -> {
            // another thread completes a chunk while the level files are being forced
            store.put("a", at(30));
            try {
                store.save();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(offsetOnDisk("a")).as("the durable write of offset 10 must not hide 30").isEqualTo(30);
        assertThat(store.needsFsync()).as("30 itself is not durable yet").isTrue();

        List<String> forced = new ArrayList<>();
        store.saveDurably(() -> forced.add("forced"));
        assertThat(forced).containsExactly("forced");
        assertThat(store.needsFsync()).isFalse();
        assertThat(new CheckpointStore(dir).get("a")).isEqualTo(at(30));
    }

    @Test
    void nothingChangedMeansNothingWrittenAndNothingForced() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.put("a", at(5));
        store.saveDurably(() -> { });
        List<String> forced = new ArrayList<>();
        store.saveDurably(() -> forced.add("forced"));
        store.put("a", at(5)); // same checkpoint again
        store.save();
        assertThat(forced).isEmpty();
        assertThat(store.needsFsync()).isFalse();
    }
}
