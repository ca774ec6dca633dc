package io.ragmail.daemon.runtime;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/** Holds back mail whose ledger row retention removed ({@link Tombstones}), so that it never looks new. */
final class TombstoneFilter implements MailSource {

    private static final Logger log = LoggerFactory.getLogger(TombstoneFilter.class);
    private final MailSource source;
    private final Tombstones tombstones;

    TombstoneFilter(MailSource source, Tombstones tombstones) {
        this.source = source;
        this.tombstones = tombstones;
    }

    @Override
    public List<InboundMail> poll(Duration maxWait) throws InterruptedException {
        return source.poll(maxWait).stream().filter(mail -> {
            boolean purged = tombstones.contains(mail.key());
            if (purged) {
                log.debug("{} was handled before and removed by retention; not answered again", mail.key());
            }
            return !purged;
        }).toList();
    }

    @Override
    public void acknowledge(InboundMail mail, MailOutcome outcome) {
        source.acknowledge(mail, outcome);
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public void close() {
        source.close();
    }
}
