package io.ragmail.it;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The real IMAP source with faults it cannot produce on demand injected around it: the first
 * {@code failingPolls} polls throw what {@code pollFault} supplies (an {@link Error} from an adapter),
 * the first {@code failingAcks} acknowledgements fail. Records the outcome each mail was acknowledged
 * with, by Message-ID, last one wins.
 */
final class FaultySource implements MailSource {

    private final MailSource real;
    private final AtomicInteger failingPolls;
    private final Supplier<? extends Throwable> pollFault;
    private final AtomicInteger failingAcks;
    final Map<String, MailOutcome> outcomes = new ConcurrentHashMap<>();

    FaultySource(MailSource real, int failingPolls, Supplier<? extends Throwable> pollFault, int failingAcks) {
        this.real = real;
        this.failingPolls = new AtomicInteger(failingPolls);
        this.pollFault = pollFault;
        this.failingAcks = new AtomicInteger(failingAcks);
    }

    static FaultySource recording(MailSource real) {
        return new FaultySource(real, 0, () -> null, 0);
    }

    @Override
    public List<InboundMail> poll(Duration maxWait) throws InterruptedException {
        if (failingPolls.getAndDecrement() > 0) {
            Throwable fault = pollFault.get();
            if (fault instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) fault;
        }
        return real.poll(maxWait);
    }

    @Override
    public void acknowledge(InboundMail mail, MailOutcome outcome) {
        if (failingAcks.getAndDecrement() > 0) {
            throw new io.ragmail.core.RetriableException("imap", "NO [UNAVAILABLE] acknowledgement refused");
        }
        real.acknowledge(mail, outcome);
        outcomes.put(mail.key().messageId(), outcome);
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public void close() {
        real.close();
    }
}
