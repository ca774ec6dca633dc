package io.ragmail.examples.folder;

import io.ragmail.core.MailSource;
import io.ragmail.testkit.contract.MailSourceContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folder source passes the same compatibility kit as ragmail's IMAP source, including the
 * acknowledgement of a mail's copy read back from the ledger after a restart.
 */
class EmlFolderMailSourceContractTest extends MailSourceContract {

    @TempDir
    Path root;

    @Override
    protected MailSource createSource() {
        return new EmlFolderMailSource(root);
    }

    @Override
    protected void deliver(byte[] rawMessage) throws Exception {
        // written beside the inbox and moved in, so that a poll never reads half a file
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path draft = Files.write(root.resolve(UUID.randomUUID() + ".part"), rawMessage);
        Path delivered = Files.move(draft, inbox.resolve(draft.getFileName().toString().replace(".part", ".eml")),
                StandardCopyOption.ATOMIC_MOVE);
        assertThat(delivered).exists();
    }
}
