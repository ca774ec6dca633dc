package io.ragmail.daemon.runtime;

import io.ragmail.core.MailAccount;
import io.ragmail.core.MailKey;
import io.ragmail.core.imap.Acknowledgement;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.mail.MailSessions;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;

import java.time.Duration;
import java.time.Instant;

/**
 * For the watchdog: is mail waiting on the server that the mail loop should have taken long ago? Over
 * its own connection, counts mail in the folder that is not acknowledged (per {@code ragmail.imap.ack}),
 * arrived before {@code olderThan}, is not backlog, and is not in the ledger. A loop stuck in IDLE (or
 * dead) leaves exactly such mail; a healthy one has taken it within seconds.
 */
final class WaitingOnServer {

    /** Only the newest mails are looked at: a stuck loop shows in the newest ones first. */
    static final int LOOK_AT = 200;

    private WaitingOnServer() {
    }

    static int count(MailAccount account, String folderName, String mailbox, Acknowledgement ack, BacklogGate.Boundary boundary,
                     ProcessingLedger ledger, Instant olderThan) throws MessagingException {
        Store store = MailSessions.imap(account, Duration.ofSeconds(15), Duration.ofSeconds(60)).getStore(MailSessions.imapProtocol(account));
        store.connect(account.host(), account.port(), account.user(), account.password());
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            try {
                Message[] candidates;
                if (ack instanceof Acknowledgement.Keyword k) {
                    candidates = folder.search(new FlagTerm(new Flags(k.keyword()), false));
                } else if (ack instanceof Acknowledgement.MoveTo) {
                    candidates = folder.getMessages(); // handled mail leaves the folder
                } else {
                    candidates = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                }
                boolean sameFolder = folder.getUIDValidity() == boundary.uidValidity();
                int waiting = 0;
                for (int i = candidates.length - 1; i >= Math.max(0, candidates.length - LOOK_AT); i--) {
                    Message m = candidates[i];
                    if (m.isSet(Flags.Flag.DELETED) || (sameFolder && folder.getUID(m) < boundary.firstUid())) {
                        continue;
                    }
                    if (m.getReceivedDate() == null || !m.getReceivedDate().toInstant().isBefore(olderThan)) {
                        continue;
                    }
                    String[] ids = m.getHeader("Message-ID");
                    if (ids == null || ids.length == 0) {
                        continue; // keyed by a digest the parser computes; not worth re-computing here
                    }
                    if (ledger.find(new MailKey(mailbox, ids[0].strip())).isEmpty()) {
                        waiting++;
                    }
                }
                return waiting;
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }
}
