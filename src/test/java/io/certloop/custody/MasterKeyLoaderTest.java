package io.certloop.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyLoaderTest {

    @Test
    void firstStartCreatesAnOwnerOnlyKeyFileThatLaterStartsReuse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/master.key");

        MasterKey created = MasterKeyLoader.load(null, file);
        MasterKey reloaded = MasterKeyLoader.load("", file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        assertThat(reloaded.id()).isEqualTo(created.id());
        assertThat(created.toString())
                .contains(created.id())
                .doesNotContain(Files.readString(file).trim());
    }

    @Test
    void environmentKeyWinsOverTheFile(@TempDir Path dir) {
        Path file = dir.resolve("master.key");
        String env = Base64.getEncoder().encodeToString(new byte[32]);

        MasterKey key = MasterKeyLoader.load(env, file);

        assertThat(key.source()).isEqualTo("CERTLOOP_MASTER_KEY");
        assertThat(file).doesNotExist();
    }

    @Test
    void keyOfTheWrongLengthOrEncodingIsRefusedWithTheReason(@TempDir Path dir) {
        assertThatThrownBy(
                        () -> MasterKeyLoader.load(Base64.getEncoder().encodeToString(new byte[16]), dir.resolve("k")))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("got 16");
        assertThatThrownBy(() -> MasterKeyLoader.load("not base64 !!", dir.resolve("k")))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("not valid base64");
    }
}
