package io.ragmail.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh {@link MailboxRig} (mail server and data folder) for every test. */
abstract class MailboxTestBase {

    @TempDir
    Path dataDir;
    MailboxRig rig;

    @BeforeEach
    void startMailServer() {
        rig = new MailboxRig(dataDir);
    }

    @AfterEach
    void stopMailServer() {
        rig.close();
    }
}
